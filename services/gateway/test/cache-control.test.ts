import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { MALFORMED, parseCacheControl, storability, varyNames } from '../src/cache-control.ts'
import type { ResponseFacts } from '../src/cache-control.ts'

const facts = (cacheControl: string | undefined, extra: Partial<ResponseFacts> = {}): ResponseFacts =>
  ({ status: 200, cacheControl, vary: undefined, setCookie: false, requestCredentials: false, ...extra })

describe('Cache-Control and Vary as the gateway cache reads them', () => {
  it('reads directives with arguments, quoted ones with commas inside, in any case and spacing', () => {
    const directives = parseCacheControl('Public, MAX-AGE = 60, private="set-cookie, x-a", s-maxage=5')
    assert.deepEqual([...directives], [['public', true], ['max-age', '60'], ['private', 'set-cookie, x-a'], ['s-maxage', '5']])
  })

  it('marks a header it cannot read, or one naming a directive twice, as malformed', () => {
    assert.ok(parseCacheControl('public, max-age=60, junk junk').has(MALFORMED))
    assert.ok(parseCacheControl('max-age=60, max-age=0').has(MALFORMED))
    assert.ok(parseCacheControl('max-age="60').has(MALFORMED))
    assert.ok(!parseCacheControl(['public', 'max-age=60']).has(MALFORMED))
  })

  it('lists Vary names lower-cased and sorted, and * alone', () => {
    assert.deepEqual(varyNames('Accept-Language, accept-encoding,ACCEPT-LANGUAGE'), ['accept-encoding', 'accept-language'])
    assert.deepEqual(varyNames(['Origin', '*']), ['*'])
    assert.deepEqual(varyNames(undefined), [])
  })

  it('keeps a 200 with an explicit lifetime, s-maxage first', () => {
    assert.deepEqual(storability(facts('public, max-age=300')), { store: true, lifetimeSeconds: 300, explicitPublic: true, vary: [] })
    assert.deepEqual(storability(facts('max-age=300, s-maxage=20', { vary: 'Accept' })), { store: true, lifetimeSeconds: 20, explicitPublic: false, vary: ['accept'] })
  })

  it('refuses what could be someone\'s own answer or has no lifetime', () => {
    const refused: Array<[ResponseFacts, string]> = [
      [facts('public, max-age=300', { status: 206 }), 'status'],
      [facts('public, max-age=300', { setCookie: true }), 'set-cookie'],
      [facts('private, max-age=300'), 'private'],
      [facts('public, no-store, max-age=300'), 'no-store'],
      [facts('no-cache="x-a", public, max-age=300'), 'no-cache'],
      [facts('public, max-age=300, ,= x'), MALFORMED],
      [facts('max-age=300', { requestCredentials: true }), 'credentials'],
      [facts('public, max-age=300', { vary: 'Origin, *' }), 'vary'],
      [facts('public'), 'no freshness'],
      [facts('public, max-age=0'), 'no freshness'],
      [facts('public, max-age=-5'), 'no freshness'],
      [facts(undefined), 'no freshness']
    ]
    for (const [input, reason] of refused) assert.deepEqual(storability(input), { store: false, reason }, JSON.stringify(input))
  })

  it('keeps an answer to a request with credentials when it says public', () => {
    assert.equal(storability(facts('public, max-age=60', { requestCredentials: true })).store, true)
  })
})
