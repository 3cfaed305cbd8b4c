import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createCipheriv, hkdfSync, randomBytes } from 'node:crypto'
import { openSecrets, sealSecrets } from '@app/contracts/delivery'
import { ConfigError } from '../src/config/index.ts'
import { DERIVED_KID, keyringProblems, loadServiceKeys, openToken, signClaims } from '../src/keys/index.ts'

const OLD = 'old-secret-0123456789abcdef0123456789'
const NEW = 'new-secret-0123456789abcdef0123456789'
const ROTATION_ENDS = Date.parse('2030-01-31T12:00:00Z')

/** A clock the test moves. */
function clock (at: number) {
  const state = { at }
  return { state, now: () => state.at }
}

describe('keyrings', () => {
  it('derives one key per purpose from SERVICE_SECRET outside production, under kid derived-1', () => {
    const keys = loadServiceKeys({ SERVICE_SECRET: OLD })
    const all = [keys.internal, keys.identity, keys.otpHmac, keys.seal].map(k => k.current())
    for (const { kid } of all) assert.equal(kid, DERIVED_KID)
    assert.equal(new Set(all.map(k => k.key.toString('hex'))).size, 4, 'no two purposes share a key')
    // Set explicitly, a purpose's entry gives the key SERVICE_SECRET would derive for it: the upgrade path.
    const explicit = loadServiceKeys({ EVENT_SEAL_KEYS: `${DERIVED_KID}:${OLD}` })
    assert.deepEqual(explicit.seal.current(), keys.seal.current())
  })

  it('refuses to derive in production: signing names the variable to set', () => {
    const keys = loadServiceKeys({ NODE_ENV: 'production', SERVICE_SECRET: OLD })
    assert.throws(() => keys.internal.current(), (err: unknown) => err instanceof ConfigError && /INTERNAL_AUTH_KEYS is required in production/.test(err.message))
    assert.equal(keys.identity.find(DERIVED_KID), undefined)
    assert.equal(keyringProblems({ NODE_ENV: 'production', SERVICE_SECRET: OLD }).length, 4)
  })

  it('signs with the first key and still accepts an older one until its date, not after', () => {
    const time = clock(ROTATION_ENDS - 60_000)
    const before = loadServiceKeys({ INTERNAL_AUTH_KEYS: `k1:${OLD}` }, { now: time.now })
    const during = loadServiceKeys({ INTERNAL_AUTH_KEYS: `k2:${NEW},k1:${OLD}:2030-01-31T12:00:00Z` }, { now: time.now })
    const oldToken = signClaims(before.internal, 'gi1', { n: 1 })
    const newToken = signClaims(during.internal, 'gi1', { n: 2 })
    assert.match(newToken, /^gi1\.k2\./)
    assert.deepEqual(openToken(during.internal, 'gi1', oldToken), { ok: true, kid: 'k1', claims: { n: 1 } })
    assert.equal(openToken(during.internal, 'gi1', newToken).ok, true)
    assert.deepEqual(openToken(before.internal, 'gi1', newToken), { ok: false, reason: 'unknown key' }, 'not yet rolled out: refused')
    time.state.at = ROTATION_ENDS
    assert.deepEqual(openToken(during.internal, 'gi1', oldToken), { ok: false, reason: 'unknown key' })
    assert.equal(openToken(during.internal, 'gi1', newToken).ok, true)
  })

  it('refuses a token whose signature does not match its kid\'s key, or that was altered', () => {
    const keys = loadServiceKeys({ IDENTITY_KEYS: `k1:${OLD}` })
    const other = loadServiceKeys({ IDENTITY_KEYS: `k1:${NEW}` })
    const token = signClaims(other.identity, 'ga1', { sub: 'u-1' })
    assert.deepEqual(openToken(keys.identity, 'ga1', token), { ok: false, reason: 'bad signature' })
    const [type, kid, , mac] = signClaims(keys.identity, 'ga1', { sub: 'u-1' }).split('.')
    const altered = [type, kid, Buffer.from('{"sub":"admin"}').toString('base64url'), mac].join('.')
    assert.deepEqual(openToken(keys.identity, 'ga1', altered), { ok: false, reason: 'bad signature' })
    assert.deepEqual(openToken(keys.identity, 'gi1', signClaims(keys.identity, 'ga1', {})), { ok: false, reason: 'malformed' }, 'another token type')
  })
})

describe('sealed secrets across a rotation', () => {
  it('opens a message sealed with the old key after the rotation, until the old key\'s date', () => {
    const time = clock(ROTATION_ENDS - 1000)
    const before = loadServiceKeys({ EVENT_SEAL_KEYS: `s1:${OLD}` }, { now: time.now })
    const after = loadServiceKeys({ EVENT_SEAL_KEYS: `s2:${NEW},s1:${OLD}:2030-01-31T12:00:00Z` }, { now: time.now })
    const inFlight = sealSecrets({ code: '123456' }, before.seal)
    assert.match(inFlight, /^v2\.s1\./)
    assert.deepEqual(openSecrets(inFlight, after.seal), { code: '123456' })
    const sealedNow = sealSecrets({ link: 'https://example.com/reset?token=t' }, after.seal)
    assert.match(sealedNow, /^v2\.s2\./)
    assert.deepEqual(openSecrets(sealedNow, after.seal), { link: 'https://example.com/reset?token=t' })
    time.state.at = ROTATION_ENDS
    assert.throws(() => openSecrets(inFlight, after.seal), /s1, which is unknown or no longer accepted/)
  })

  it('refuses a sealed message whose kid was swapped for another accepted key', () => {
    const keys = loadServiceKeys({ EVENT_SEAL_KEYS: `s2:${NEW},s1:${OLD}` })
    const parts = sealSecrets({ code: '1' }, keys.seal).split('.')
    parts[1] = 's1'
    assert.throws(() => openSecrets(parts.join('.'), keys.seal))
  })

  it('opens a message sealed before keyrings (v1, under SERVICE_SECRET) with derived-1', () => {
    const key = Buffer.from(hkdfSync('sha256', OLD, '', 'gatehouse/delivery-secrets/v1', 32))
    const iv = randomBytes(12)
    const cipher = createCipheriv('aes-256-gcm', key, iv)
    const body = Buffer.concat([cipher.update(JSON.stringify({ code: '654321' })), cipher.final()])
    const legacy = ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.')
    assert.deepEqual(openSecrets(legacy, loadServiceKeys({ SERVICE_SECRET: OLD }).seal), { code: '654321' })
    assert.deepEqual(openSecrets(legacy, loadServiceKeys({ EVENT_SEAL_KEYS: `s2:${NEW},${DERIVED_KID}:${OLD}:2030-01-01` }, { now: () => 0 }).seal), { code: '654321' })
    assert.throws(() => openSecrets(legacy, loadServiceKeys({ EVENT_SEAL_KEYS: `s2:${NEW}` }).seal))
  })
})
