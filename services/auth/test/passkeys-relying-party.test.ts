import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { relyingPartyFrom } from '../src/passkeys/relying-party.ts'

const config = (over: Partial<Record<string, string>> = {}) => ({
  AUTH_WEBAUTHN_RP_ID: 'localhost', AUTH_WEBAUTHN_RP_NAME: 'Gatehouse', AUTH_WEBAUTHN_ORIGINS: '', NODE_ENV: 'development', ...over
})

describe('passkey relying party from configuration', () => {
  it('accepts any localhost page in development when no origins are configured', () => {
    const rp = relyingPartyFrom(config())
    assert.equal(rp.enabled, true)
    assert.ok(rp.allows('http://localhost:8080'))
    assert.ok(rp.allows('https://localhost'))
    assert.equal(rp.allows('http://127.0.0.1:8080'), false)
    assert.equal(rp.allows('http://localhost.evil.example'), false)
  })

  it('turns passkeys off in production until origins are configured', () => {
    const rp = relyingPartyFrom(config({ NODE_ENV: 'production' }))
    assert.equal(rp.enabled, false)
    assert.equal(rp.allows('http://localhost:8080'), false)
  })

  it('accepts exactly the configured origins, on the RP id or its subdomains', () => {
    const rp = relyingPartyFrom(config({ NODE_ENV: 'production', AUTH_WEBAUTHN_RP_ID: 'example.com', AUTH_WEBAUTHN_ORIGINS: 'https://example.com, https://app.example.com' }))
    assert.equal(rp.enabled, true)
    assert.ok(rp.allows('https://app.example.com'))
    assert.ok(rp.allows('https://example.com'))
    assert.equal(rp.allows('http://app.example.com'), false)
    assert.equal(rp.allows('https://evil.example.net'), false)
  })

  it('refuses at startup an origin outside the RP id, or one that is not an origin', () => {
    assert.throws(() => relyingPartyFrom(config({ AUTH_WEBAUTHN_RP_ID: 'example.com', AUTH_WEBAUTHN_ORIGINS: 'https://example.net' })), /not on AUTH_WEBAUTHN_RP_ID/)
    assert.throws(() => relyingPartyFrom(config({ AUTH_WEBAUTHN_RP_ID: 'example.com', AUTH_WEBAUTHN_ORIGINS: 'https://example.com/login' })), /must be an origin/)
    assert.throws(() => relyingPartyFrom(config({ AUTH_WEBAUTHN_ORIGINS: 'not a url' })), /is not a URL/)
  })
})
