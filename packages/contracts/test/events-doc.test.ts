import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { eventSchemas, EVENT_TYPES } from '../src/events/index.ts'

const DOC = fileURLToPath(new URL('../../../docs/events.md', import.meta.url))

/** `| \`type\` | version | exchange | ... |` rows of the doc's table. */
function documented (): Map<string, { version: number, exchange: string }> {
  const rows = readFileSync(DOC, 'utf8').split('\n')
    .map(line => /^\| `([a-z_.]+)` \| (\d+) \| ([a-z-]+) \|/.exec(line))
    .filter(m => m !== null)
  return new Map(rows.map(m => [m[1]!, { version: Number(m[2]), exchange: m[3]! }]))
}

describe('docs/events.md', () => {
  it('lists every contract with its version and exchange, and nothing else', () => {
    const rows = documented()
    for (const type of EVENT_TYPES) {
      const contract = eventSchemas[type]
      assert.deepEqual(rows.get(type), { version: contract.version, exchange: contract.exchange ?? 'events' }, `docs/events.md row of ${type}`)
    }
    assert.deepEqual([...rows.keys()].filter(type => !(type in eventSchemas)), [], 'documented types without a contract')
  })
})
