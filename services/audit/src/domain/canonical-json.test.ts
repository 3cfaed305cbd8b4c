import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { canonicalJson } from './canonical-json.ts'
import { chainHash, dataHash, GENESIS_HASH, legacyChainHash } from './chain.ts'

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
  const data = { a: 1, b: 2 }
  const content = { id: 'e1', type: 'user.updated', source: '/services/user', subject: null, time: '2024-01-01T00:00:00.000Z', dataHash: dataHash(data), prevHash: GENESIS_HASH }

  it('hashes data whatever the order of its keys', () => {
    assert.equal(dataHash({ b: 2, a: 1 }), content.dataHash)
  })

  it('covers every field, including the data hash and the previous hash', () => {
    const base = chainHash(content)
    for (const change of [{ id: 'e2' }, { type: 'user.deleted' }, { source: '/x' }, { subject: 'u' }, { time: '2024-01-01T00:00:00.001Z' }, { dataHash: dataHash({ a: 1 }) }, { prevHash: 'f'.repeat(64) }]) {
      assert.notEqual(chainHash({ ...content, ...change }), base, JSON.stringify(change))
    }
  })

  it('is the SHA-256 of the documented canonical text', async () => {
    const { createHash } = await import('node:crypto')
    const sha = (text: string) => createHash('sha256').update(text).digest('hex')
    assert.equal(content.dataHash, sha('{"a":1,"b":2}'))
    const text = `{"dataHash":"${content.dataHash}","id":"e1","prevHash":"${GENESIS_HASH}","source":"/services/user","subject":null,"time":"2024-01-01T00:00:00.000Z","type":"user.updated"}`
    assert.equal(chainHash(content), sha(text))
  })

  it('keeps the legacy hash, over the data itself, for entries stored before data hashes', async () => {
    const { createHash } = await import('node:crypto')
    const { dataHash: _, ...legacy } = { ...content, data }
    const text = `{"data":{"a":1,"b":2},"id":"e1","prevHash":"${GENESIS_HASH}","source":"/services/user","subject":null,"time":"2024-01-01T00:00:00.000Z","type":"user.updated"}`
    assert.equal(legacyChainHash(legacy), createHash('sha256').update(text).digest('hex'))
  })
})
