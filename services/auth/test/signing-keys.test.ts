import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose'
import { ConfigError } from '@app/kit/config'
import { keyEncryptionKey, openPrivateKey, sealPrivateKey } from '../src/key-encryption.ts'
import { ensureSigningKey, rotateSigningKeys, SIGNING_KEY_RECHECK_MS } from '../src/signing-keys.ts'
import { useAuth } from './helper.ts'

describe('signing keys', () => {
  const svc = useAuth()

  it('rotation: new tokens carry the new kid within SIGNING_KEY_RECHECK_MS, old tokens still validate, the JWKS lists both', async (t) => {
    const realNow = svc.auth.ctx.now
    t.after(() => { svc.auth.ctx.now = realNow })
    let clock = Date.now() + SIGNING_KEY_RECHECK_MS
    svc.auth.ctx.now = () => new Date(clock)
    const { email } = await svc.register()
    const before = await svc.login(email)
    const oldKid = decodeProtectedHeader(before.accessToken).kid
    const newKid = await rotateSigningKeys(svc.auth.ctx.db)
    // Another process rotated: this instance signs with the key it read until the recheck is due.
    assert.equal(decodeProtectedHeader((await svc.login(email)).accessToken).kid, oldKid)
    clock += SIGNING_KEY_RECHECK_MS
    const after = await svc.login(email)
    assert.equal(decodeProtectedHeader(after.accessToken).kid, newKid)
    assert.notEqual(newKid, oldKid)
    assert.equal((await svc.validate(before.accessToken)).valid, true)
    assert.equal((await svc.validate(after.accessToken)).valid, true)
    const jwks = (await svc.auth.app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json()
    const kids = jwks.keys.map((k: { kid: string }) => k.kid)
    assert.ok(kids.includes(oldKid) && kids.includes(newKid))
    const local = createLocalJWKSet(jwks)
    await jwtVerify(before.accessToken, local)
    await jwtVerify(after.accessToken, local)
  })

  it('creates exactly one first key when several instances start at once', async () => {
    const { db } = svc.auth.ctx
    await db.query('delete from signing_keys')
    await Promise.all([ensureSigningKey(db), ensureSigningKey(db), ensureSigningKey(db)])
    const { rows } = await db.query<{ n: number }>('select count(*)::int as n from signing_keys')
    assert.equal(rows[0]!.n, 1)
  })

  it('stores the private key encrypted when a key-encryption key is configured, and refuses to rotate without it then', async () => {
    const { db } = svc.auth.ctx
    const key = randomBytes(32)
    const kid = await rotateSigningKeys(db, { encryptionKey: key })
    const { rows } = await db.query<{ private_key: string }>('select private_key from signing_keys where kid = $1', [kid])
    const stored = rows[0]!.private_key
    assert.equal(stored.includes('PRIVATE KEY'), false)
    assert.match(openPrivateKey(stored, kid, key), /BEGIN PRIVATE KEY/)
    await assert.rejects(rotateSigningKeys(db), /encrypted/)
  })
})

describe('key encryption', () => {
  it('refuses to start in production without AUTH_KEY_ENCRYPTION_KEY', () => {
    assert.throws(() => keyEncryptionKey({ NODE_ENV: 'production' }), ConfigError)
    assert.equal(keyEncryptionKey({ NODE_ENV: 'development' }), undefined)
    assert.throws(() => keyEncryptionKey({ NODE_ENV: 'production', AUTH_KEY_ENCRYPTION_KEY: Buffer.alloc(31).toString('base64').padEnd(44, '=') }), ConfigError)
    assert.equal(keyEncryptionKey({ NODE_ENV: 'production', AUTH_KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64') })?.length, 32)
  })

  it('binds a sealed key to its kid and its key', () => {
    const key = randomBytes(32)
    const sealed = sealPrivateKey('pem text', 'kid-1', key)
    assert.equal(openPrivateKey(sealed, 'kid-1', key), 'pem text')
    assert.throws(() => openPrivateKey(sealed, 'kid-2', key))
    assert.throws(() => openPrivateKey(sealed, 'kid-1', randomBytes(32)))
    assert.throws(() => openPrivateKey(sealed, 'kid-1', undefined), ConfigError)
  })
})
