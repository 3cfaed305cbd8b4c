import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { canonicalJson } from './canonical-json.ts'
import { chainHash, GENESIS_HASH } from './chain.ts'

describe('canonicalJson', () => {
  it('sorts keys at every depth and keeps array order', () => {
    assert.equal(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } }), '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}')
  })

  it('writes what JSON.stringify writes for scalars and leaves undefined members out', () => {
    assert.equal(canonicalJson({ s: 'é"\n', n: -0.5, t: true, u: undefined }), '{"n":-0.5,"s":"é\\"\\n","t":true}')
    assert.equal(canonicalJson(undefined), 'null')
    assert.equal(canonicalJson([undefined]), '[null]')
  })

  it('keeps a member named __proto__ as data', () => {
    assert.equal(canonicalJson(JSON.parse('{"__proto__":{"x":1}}')), '{"__proto__":{"x":1}}')
  })
})

describe('chainHash', () => {
  const content = { id: 'e1', type: 'user.updated', source: '/services/user', subject: null, time: '2024-01-01T00:00:00.000Z', data: { a: 1, b: 2 }, prevHash: GENESIS_HASH }

  it('does not depend on the order of data keys', () => {
    assert.equal(chainHash(content), chainHash({ ...content, data: { b: 2, a: 1 } }))
  })

  it('covers every field, including the previous hash', () => {
    const base = chainHash(content)
    for (const change of [{ id: 'e2' }, { type: 'user.deleted' }, { source: '/x' }, { subject: 'u' }, { time: '2024-01-01T00:00:00.001Z' }, { data: { a: 1 } }, { prevHash: 'f'.repeat(64) }]) {
      assert.notEqual(chainHash({ ...content, ...change }), base, JSON.stringify(change))
    }
  })

  it('is the SHA-256 of the documented canonical text', async () => {
    const { createHash } = await import('node:crypto')
    const text = `{"data":{"a":1,"b":2},"id":"e1","prevHash":"${GENESIS_HASH}","source":"/services/user","subject":null,"time":"2024-01-01T00:00:00.000Z","type":"user.updated"}`
    assert.equal(chainHash(content), createHash('sha256').update(text).digest('hex'))
  })
})
