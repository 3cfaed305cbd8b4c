import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createEvent } from '@app/kit/bus'
import { waitFor } from '@app/kit/testing'
import { channels, usePreferenceStack } from './stack.ts'

describe('preferences decide where user-facing messages go', () => {
  const s = usePreferenceStack()
  const { n } = s

  it('confirms an order on every channel the user has, by default', async () => {
    const user = await s.register({ phone: true })
    const event = await s.order(user)
    const rows = await s.deliveriesOf('order-confirmation', event)
    assert.deepEqual(channels(rows), ['email', 'sms'])
    const mail = await waitFor(async () => (await n.inbox(user.email!)).find(m => m.subject?.includes('order')))
    assert.match(mail.text, /2 × BOOK-42 at €12\.50: €25\.00\n1 × PEN at €1\.99: €1\.99\n\nTotal: €26\.99/)
    assert.match(mail.html!, /<td style="text-align:right">€25\.00<\/td>/)
    const [sms] = await n.inbox(user.phone!)
    assert.match(sms!.text, /^Gatehouse: order [0-9a-f]{8} confirmed: 3 item\(s\), total €26\.99\.$/)
  })

  it('sends SMS only when the user turned email off, and email only after flipping (the cache is dropped on user.updated)', async () => {
    const user = await s.register({ phone: true })
    await s.setPreferences(user, { channels: { email: false, sms: true } })
    assert.deepEqual(channels(await s.deliveriesOf('order-confirmation', await s.order(user))), ['sms'])
    await s.setPreferences(user, { channels: { email: true, sms: false } })
    assert.deepEqual(channels(await s.deliveriesOf('order-confirmation', await s.order(user))), ['email'])
  })

  it('follows the per-event choice within the enabled channels, and sends nothing for an empty one', async () => {
    const user = await s.register({ phone: true })
    await s.setPreferences(user, { channels: { email: true, sms: true }, events: { 'order.created': ['sms'] } })
    assert.deepEqual(channels(await s.deliveriesOf('order-confirmation', await s.order(user))), ['sms'])
    await s.setPreferences(user, { channels: { email: true, sms: false }, events: { 'order.created': ['sms'] } })
    assert.deepEqual(await s.deliveriesOf('order-confirmation', await s.order(user)), [], 'a channel switched off is never used')
    await s.setPreferences(user, { channels: { email: true, sms: true }, events: { 'order.created': [] } })
    assert.deepEqual(await s.deliveriesOf('order-confirmation', await s.order(user)), [])
  })

  it('does not send order details to an email address that is not verified yet', async () => {
    const user = await s.register({ phone: true, verifyEmail: false })
    assert.deepEqual(channels(await s.deliveriesOf('order-confirmation', await s.order(user))), ['sms'])
  })

  it('sends a login alert only when the user turned it on for auth.login_succeeded', async () => {
    const user = await s.register()
    const login = () => n.publish(createEvent('/services/auth', 'auth.login_succeeded', { userId: user.id, sessionId: 's-1', method: 'password' }, user.id))
    const first = createEvent('/services/auth', 'auth.login_succeeded', { userId: user.id, sessionId: 's-1', method: 'password' }, user.id)
    await n.publish(first)
    assert.deepEqual(await s.deliveriesOf('login-alert', first), [])
    await s.setPreferences(user, { channels: { email: true, sms: false }, events: { 'auth.login_succeeded': ['email'] } })
    await login()
    const alert = await waitFor(async () => (await n.inbox(user.email!)).find(m => m.subject === 'New sign-in to your Gatehouse account'))
    assert.match(alert.text, /^Someone signed in with your password on \w+ \d+, \d{4} at .+ UTC\./)
  })

  it('sends security messages to the address they were requested for, whatever the preferences', async () => {
    const user = await s.register({ phone: true })
    await s.setPreferences(user, { channels: { email: false, sms: true }, events: { 'password.changed': ['sms'] } })
    const otp = await n.request({ template: 'otp_code', channel: 'email', to: user.email!, userId: user.id, variables: { purpose: 'mfa', expiresInMinutes: '10' }, secrets: { code: '246810' } })
    assert.deepEqual(channels(await n.settled(otp)), ['email'])
    const changed = createEvent('/services/password', 'password.changed', { userId: user.id, reason: 'change', email: user.email, phone: user.phone }, user.id)
    await n.publish(changed)
    assert.deepEqual(channels(await n.settled(changed)), ['email'])
    const mails = await n.inbox(user.email!)
    assert.ok(mails.some(m => m.subject === 'Your Gatehouse sign-in confirmation code: 246810'))
    assert.ok(mails.some(m => m.subject === 'Your Gatehouse password was changed'))
  })

  it('gives one message per channel when the same event arrives twice', async () => {
    const user = await s.register({ phone: true })
    const event = await s.order(user)
    await n.publish(event)
    const later = await s.order(user)
    await s.deliveriesOf('order-confirmation', later)
    assert.deepEqual(channels(await s.deliveriesOf('order-confirmation', event)), ['email', 'sms'])
    const confirmations = (await n.inbox(user.phone!)).filter(m => m.text.includes((event.data as { orderId: string }).orderId.slice(0, 8)))
    assert.equal(confirmations.length, 1)
  })

  it('sends nothing for the order of a user the user service does not know', async () => {
    const event = await s.order({ id: '01939c4e-0000-7000-8000-000000000000', email: null, phone: null })
    assert.deepEqual(await s.deliveriesOf('order-confirmation', event), [])
  })
})
