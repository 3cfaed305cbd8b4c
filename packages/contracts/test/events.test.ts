import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { TSchema } from '@sinclair/typebox'
import { checkEventData, dataschemaOf, eventSchemas, EVENT_TYPES, isSecretName } from '../src/events/index.ts'
import type { EventData, EventType } from '../src/events/index.ts'

/** The public contract sits beside the clone (CI copies it there): `<repo>/../shared/API.md`. */
const API_MD = fileURLToPath(new URL('../../../../shared/API.md', import.meta.url))

/** Event types named in API.md's `## Events` section: backticked `area.fact` words. */
function typesInApiMd (): string[] {
  assert.ok(existsSync(API_MD), `${API_MD} is missing: the event contract test reads the public API contract from ../shared/API.md next to the repository`)
  const text = readFileSync(API_MD, 'utf8')
  const start = text.search(/^## Events\s*$/m)
  assert.ok(start >= 0, `${API_MD} has no "## Events" section`)
  const rest = text.slice(start + 1)
  const next = rest.search(/^## /m)
  const section = next < 0 ? rest : rest.slice(0, next)
  return [...new Set([...section.matchAll(/`([a-z][a-z_]*\.[a-z][a-z_]*)`/g)].map(m => m[1]!))]
}

const USER = '0194f3a0-7c1e-7d2a-9b3c-4d5e6f708192'
const SESSION = '5c0e2f7a-1b2c-4d3e-8f90-a1b2c3d4e5f6'
const AT = '2025-01-02T03:04:05.678Z'

/** One payload per contract, as its producer writes it: every contract must have one. */
const examples: { [T in EventType]: EventData<T> } = {
  'user.registered': { userId: USER, email: 'ada@example.com', phone: null, name: 'Ada', locale: 'en' },
  'user.updated': { userId: USER, changes: ['email'], email: 'new@example.com', phone: '+14155550123', name: null, locale: 'de', emailChanged: true, previousEmail: 'ada@example.com' },
  'user.email_verified': { userId: USER, email: 'ada@example.com' },
  'user.phone_verified': { userId: USER, phone: '+14155550123' },
  'user.deleted': { userId: USER, email: 'ada@example.com', phone: null, emailVerified: true, phoneVerified: false, deletedBy: 'self', locale: 'en' },
  'user.disabled': { userId: USER, by: SESSION },
  'user.enabled': { userId: USER, by: SESSION },
  'user.email_change_requested': { userId: USER, previousEmail: 'ada@example.com', newEmail: 'new@example.com', sealed: 'v1.aXY.dGFn.Ym9keQ' },
  'user.email_change_undone': { userId: USER, restoredEmail: 'ada@example.com' },
  'auth.login_succeeded': { userId: USER, sessionId: SESSION, method: 'password', newDevice: true, ip: '203.0.113.7', userAgent: 'Mozilla/5.0' },
  'auth.login_failed': { method: 'password', reason: 'invalid_credentials', identifierHash: 'a'.repeat(64) },
  'auth.logged_out': { userId: USER, sessionIds: [SESSION], scope: 'all', reason: 'password_change' },
  'auth.token_reuse_detected': { userId: USER, sessionId: SESSION, sessionEnded: true },
  'auth.session_ended': { userId: USER, sessionId: SESSION, reason: 'user_ended' },
  'auth.mfa_enabled': { userId: USER, channel: 'totp' },
  'auth.mfa_disabled': { userId: USER },
  'auth.passkey_added': { userId: USER, passkeyId: 'KEdetxQ7tYq0eZ0X5v9lLw', name: 'Laptop' },
  'auth.passkey_removed': { userId: USER, passkeyId: 'KEdetxQ7tYq0eZ0X5v9lLw' },
  'auth.identity_linked': { userId: USER, provider: 'google' },
  'auth.phone_login_requested': { phone: '+14155550123' },
  'auth.magic_link_requested': { userId: USER, signup: false },
  'auth.magic_link_received': { email: 'ada@example.com', redirectTo: null, nonceHash: 'a'.repeat(64), requestedAgent: 'Firefox on Linux', requestedNetwork: '203.0.113.0/24' },
  'password.reset_requested': { userId: USER, method: 'link', channel: 'email' },
  'password.changed': { userId: USER, reason: 'change', email: 'ada@example.com', phone: null, keepSessionId: SESSION },
  'password.forgot_received': { email: 'ada@example.com', method: 'otp' },
  'otp.generated': { destination: '+14155550123', channel: 'sms', purpose: 'login', flow: 'phone_login', expiresAt: AT },
  'otp.regenerated': { destination: 'ada@example.com', channel: 'email', purpose: 'verification', expiresAt: AT },
  'otp.resent': { destination: '+14155550123', channel: 'sms', purpose: 'mfa', expiresAt: AT },
  'otp.validated': { destination: '+14155550123', channel: 'sms', purpose: 'reauth' },
  'otp.validation_failed': { destination: '+14155550123', channel: 'sms', purpose: 'login', attempts: 2, dead: false },
  'otp.abuse_suspected': { reason: 'prefix_velocity', mode: 'enforce', country: 'GB', prefix: '+4479460001' },
  'otp.requested': { requestId: SESSION, destination: '+14155550123', purpose: 'login', flow: 'phone_login', userId: USER },
  'otp.request_completed': { requestId: SESSION, destination: '+14155550123', purpose: 'login', status: 'sent' },
  'email_verification.sent': { userId: USER, email: 'ada@example.com' },
  'email_verification.verified': { userId: USER, email: 'ada@example.com' },
  'email_verification.send_received': { email: 'ada@example.com' },
  'notification.sent': { deliveryId: SESSION, userId: USER, channel: 'email', template: 'welcome', provider: 'smtp', attempts: 1, sourceEventId: SESSION, sourceEventType: 'user.registered', providerMessageId: '<1@example.com>' },
  'notification.failed': { deliveryId: SESSION, userId: null, channel: 'sms', template: 'otp_code', provider: 'twilio', attempts: 5, sourceEventId: null, sourceEventType: null, permanent: true, error: '21211 invalid number' },
  'notification.requested': { template: 'otp_code', channel: 'sms', to: '+14155550123', userId: null, variables: { purpose: 'login', expiresInMinutes: '10' }, sealed: 'v1.aXY.dGFn.Ym9keQ' },
  'order.created': { orderId: SESSION, userId: USER, items: [{ sku: 'BOOK-42', quantity: 2, unitPrice: 1250 }], total: 2500, currency: 'EUR', createdAt: AT }
}

/** Every member name a schema declares, at any depth. */
function memberNames (schema: TSchema): string[] {
  const own = schema.properties ? Object.keys(schema.properties as object) : []
  const nested = [
    ...Object.values((schema.properties ?? {}) as Record<string, TSchema>),
    ...((schema.anyOf ?? []) as TSchema[]),
    ...(schema.items ? [schema.items as TSchema] : []),
    ...Object.values((schema.patternProperties ?? {}) as Record<string, TSchema>)
  ]
  return [...own, ...nested.flatMap(memberNames)]
}

describe('event contracts', () => {
  it('has a contract for every event type API.md names', () => {
    const named = typesInApiMd()
    assert.ok(named.length >= 20, `only ${named.length} event types found in API.md's Events section: did its format change?`)
    const missing = named.filter(type => !(type in eventSchemas))
    assert.deepEqual(missing, [], `event types in API.md without a schema in @app/contracts/events: ${missing.join(', ')}`)
  })

  it('gives each contract a version and the dataschema URI producers put on the event', () => {
    for (const type of EVENT_TYPES) {
      const contract = eventSchemas[type]
      assert.ok(Number.isInteger(contract.version) && contract.version >= 1, type)
      assert.equal(contract.dataschema, `urn:gatehouse:event:${type}:v${contract.version}`)
      assert.equal(dataschemaOf(type, contract.version), contract.dataschema)
    }
  })

  it('accepts the payload each producer writes, with or without the dataschema attribute', () => {
    for (const type of EVENT_TYPES) {
      assert.deepEqual(checkEventData(type, examples[type], eventSchemas[type].dataschema), { ok: true, type, data: examples[type] }, type)
      assert.equal(checkEventData(type, examples[type]).ok, true, `${type} written before producers set dataschema`)
    }
  })

  it('accepts a member added by a newer producer: adding one is non-breaking', () => {
    assert.equal(checkEventData('user.disabled', { userId: USER, by: SESSION, note: 'spam' }).ok, true)
  })

  it('names the type and the members at fault in the reason', () => {
    const checked = checkEventData('user.deleted', { ...examples['user.deleted'], userId: 42, deletedBy: 'robot' })
    assert.equal(checked.ok, false)
    assert.ok(!checked.ok)
    assert.match(checked.reason, /^user\.deleted v1: invalid data: /)
    assert.match(checked.reason, /\/userId/)
    assert.match(checked.reason, /\/deletedBy/)
  })

  it('refuses a missing member, a payload that is not an object, and an id that is no id', () => {
    const { by: _by, ...withoutBy } = examples['user.disabled']
    assert.match(reason(checkEventData('user.disabled', withoutBy)), /by/)
    assert.match(reason(checkEventData('user.disabled', null)), /user\.disabled v1: invalid data/)
    assert.match(reason(checkEventData('user.disabled', { userId: 'a b; drop table', by: SESSION })), /\/userId/)
  })

  it('refuses a type without a contract, and a version this release does not read', () => {
    assert.match(reason(checkEventData('user.teleported', {})), /no contract for event type "user.teleported"/)
    assert.match(reason(checkEventData('user.disabled', examples['user.disabled'], 'urn:gatehouse:event:user.disabled:v2')),
      /user\.disabled: unsupported dataschema "urn:gatehouse:event:user.disabled:v2"; this release reads urn:gatehouse:event:user.disabled:v1/)
  })

  it('refuses a member named like a secret at any depth, even one no schema declares', () => {
    assert.match(reason(checkEventData('user.disabled', { ...examples['user.disabled'], resetToken: 'abc' })), /a member named like a secret: \/resetToken/)
    const order = examples['order.created']
    assert.match(reason(checkEventData('order.created', { ...order, items: [{ ...order.items[0]!, otpCode: '123456' }] })), /\/items\/0\/otpCode/)
  })

  it('reads the keys of a map as data, not as member names', () => {
    const preferences = { channels: { email: true, sms: false }, events: { 'password.changed': ['email' as const], 'otp.generated': [] } }
    const updated = { ...examples['user.updated'], changes: ['preferences'], emailChanged: false, preferences }
    assert.equal(checkEventData('user.updated', updated).ok, true)
    const hidden = { ...updated, preferences: { ...preferences, channels: { ...preferences.channels, pushToken: 'abc' } } }
    assert.match(reason(checkEventData('user.updated', hidden)), /\/preferences\/channels\/pushToken/)
  })

  it('declares no member named like a secret: secrets travel only sealed', () => {
    for (const type of EVENT_TYPES) {
      const secrets = memberNames(eventSchemas[type].schema).filter(isSecretName)
      assert.deepEqual(secrets, [], type)
    }
  })
})

function reason (checked: ReturnType<typeof checkEventData>): string {
  assert.equal(checked.ok, false)
  return checked.ok ? '' : checked.reason
}
