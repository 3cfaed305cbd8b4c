import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createKeyring } from '@app/kit/keys'
import { clientNetwork } from '../src/client-network.ts'
import { createDeviceTokens } from '../src/device-token.ts'
import { loginClientKeys } from '../src/login-client-keys.ts'

const OLD = { kid: 'k1', secret: 'a'.repeat(40) }
const NEW = { kid: 'k2', secret: 'b'.repeat(40) }
const ring = (entries: Array<{ kid: string, secret: string, acceptUntil?: number }>, now = () => Date.now()) =>
  createKeyring(entries, { purpose: 'identity', info: 'gatehouse/identity-assertion/v1', now })

describe('client networks', () => {
  it('counts an IPv4 address as itself and an IPv6 address as its /64', () => {
    assert.equal(clientNetwork('192.0.2.7'), '192.0.2.7')
    assert.equal(clientNetwork('::ffff:192.0.2.7'), '192.0.2.7')
    assert.equal(clientNetwork('2001:db8:1:2::1'), clientNetwork('2001:0db8:0001:0002:ffff:abcd:1:9'))
    assert.notEqual(clientNetwork('2001:db8:1:2::1'), clientNetwork('2001:db8:1:3::1'))
    assert.equal(clientNetwork('2001:DB8:1:2::1%eth0'), '2001:db8:1:2::/64')
  })
})

describe('device tokens', () => {
  it('reads back the device of a token it issued, and nothing from an altered or foreign one', () => {
    const tokens = createDeviceTokens(loginClientKeys(ring([NEW])))
    const { deviceId, token } = tokens.issue()
    assert.equal(tokens.read(token), deviceId)
    assert.equal(tokens.issue(deviceId).token, token, 'the same device, the same token')
    const [kid, id, mac] = token.split('.') as [string, string, string]
    assert.equal(tokens.read(`${kid}.${id.replace(/^./, c => (c === 'A' ? 'B' : 'A'))}.${mac}`), undefined)
    assert.equal(tokens.read(`${kid}.${id}.${mac.slice(0, -2)}`), undefined)
    assert.equal(tokens.read(`${token}.x`), undefined)
    assert.equal(tokens.read('k9.' + token.slice(3)), undefined)
    assert.equal(tokens.read(undefined), undefined)
    const other = createDeviceTokens(loginClientKeys(ring([{ kid: 'k2', secret: 'c'.repeat(40) }])))
    assert.equal(other.read(token), undefined, 'another deployment\'s key')
  })

  it('keeps accepting tokens of a rotated-out identity key until its date, and re-signs them with the current key', () => {
    let now = Date.parse('2030-01-01T00:00:00Z')
    const before = createDeviceTokens(loginClientKeys(ring([OLD], () => now)))
    const { deviceId, token } = before.issue()
    const after = createDeviceTokens(loginClientKeys(ring([NEW, { ...OLD, acceptUntil: Date.parse('2030-02-01T00:00:00Z') }], () => now)))
    assert.equal(after.read(token), deviceId)
    assert.match(after.issue(deviceId).token, /^k2\./)
    now = Date.parse('2030-02-01T00:00:00Z')
    assert.equal(after.read(token), undefined)
  })
})
