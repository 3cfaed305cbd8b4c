import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { createEvent } from '@app/kit/bus'
import type { CloudEvent } from '@app/kit/bus'
import { callerHeadersFor, uniquePhone, waitFor } from '@app/kit/testing'
import { seal, uniqueEmail } from './helper.ts'
import { channels, toUser, usePreferenceStack } from './stack.ts'
import type { TestUser } from './stack.ts'

const FIREFOX_ON_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0'

describe('security messages go to every verified channel, whatever the preferences', () => {
  const s = usePreferenceStack()
  const { n } = s

  /** A user with a verified email and phone who turned both channels off for everything. */
  async function optedOut (options: { verifyEmail?: boolean } = {}): Promise<TestUser & { email: string, phone: string }> {
    const user = await s.register({ phone: true, ...options })
    const verified = await s.user.app.inject({ method: 'POST', url: `/internal/users/${user.id}/phone-verified`, headers: toUser, payload: { phone: user.phone } })
    assert.equal(verified.statusCode, 200, verified.body)
    await s.setPreferences(user, { channels: { email: false, sms: false } })
    // The welcome comes first: what a test reads next is its own.
    await waitFor(async () => (await n.inbox(user.email!)).length === 1)
    return user as TestUser & { email: string, phone: string }
  }

  /** What reached an address, newest first, but the welcome. */
  const inbox = async (to: string) => (await n.inbox(to)).filter(m => !m.subject?.startsWith('Welcome'))
  /** The deliveries one consumer made of an event, once it processed it (other consumers may share the event). */
  const made = async (consumer: string, template: string, event: CloudEvent) =>
    (await s.deliveriesOf(consumer, event)).filter(r => r.template === template)

  const publish = async (type: string, data: object, subject: string): Promise<CloudEvent> => {
    const event = createEvent(`/services/${type.split('.')[0]}`, type, data, subject)
    await n.publish(event)
    return event
  }

  const templates = (rows: Array<{ template: string }>) => [...new Set(rows.map(r => r.template))]

  it('tells of a sign-in from a new device (when, device, IP) by email and SMS, and of none from a known device', async () => {
    const user = await optedOut()
    const login = await publish('auth.login_succeeded', {
      userId: user.id, sessionId: randomUUID(), method: 'password', newDevice: true, ip: '203.0.113.7', userAgent: FIREFOX_ON_WINDOWS
    }, user.id)
    const rows = await s.deliveriesOf('new-device-login', login)
    assert.deepEqual(channels(rows), ['email', 'sms'])
    assert.deepEqual(templates(rows), ['new_device_login'])
    const [mail] = await inbox(user.email)
    assert.equal(mail!.subject, 'New sign-in to your Gatehouse account from a new device')
    assert.match(mail!.text, /^Someone signed in with your password on \w+ \d+, \d{4} at .+ UTC from Firefox on Windows \(IP address 203\.0\.113\.7\)\./)
    const [sms] = await inbox(user.phone)
    assert.match(sms!.text, /^Gatehouse: new sign-in from Firefox on Windows on .+ UTC\. Not you\? Reset your password now\.$/)

    const known = await publish('auth.login_succeeded', { userId: user.id, sessionId: randomUUID(), method: 'password', newDevice: false, ip: '203.0.113.7' }, user.id)
    assert.deepEqual(await s.deliveriesOf('new-device-login', known), [])
    assert.deepEqual(await made('login-alert', 'login_alert', known), [], 'the opt-in alert stays off')
    const legacy = await publish('auth.login_succeeded', { userId: user.id, sessionId: randomUUID(), method: 'password' }, user.id)
    assert.deepEqual(await s.deliveriesOf('new-device-login', legacy), [], 'an event without newDevice is a known device')
  })

  it('sends one message, not two, to a user who also opted in to login alerts; and never repeats the header\'s words', async () => {
    const user = await optedOut()
    await s.setPreferences(user, { channels: { email: true, sms: false }, events: { 'auth.login_succeeded': ['email'] } })
    const login = await publish('auth.login_succeeded', {
      userId: user.id, sessionId: randomUUID(), method: 'password', newDevice: true, ip: 'http://evil.example', userAgent: 'Call +1 555 0100 or visit https://evil.example'
    }, user.id)
    assert.deepEqual(channels(await s.deliveriesOf('new-device-login', login)), ['email', 'sms'])
    assert.deepEqual(await made('login-alert', 'login_alert', login), [])
    const mails = await inbox(user.email)
    assert.equal(mails.length, 1)
    assert.match(mails[0]!.text, /from an unknown device\./)
    assert.ok(![mails[0]!.text, mails[0]!.html].join().includes('evil.example'))
  })

  it('tells of a password change on both channels even when the user turned them off, and only on verified ones', async () => {
    const user = await optedOut()
    const changed = await publish('password.changed', { userId: user.id, reason: 'change', email: user.email, phone: user.phone }, user.id)
    assert.deepEqual(channels(await s.deliveriesOf('password-changed', changed)), ['email', 'sms'])
    assert.equal((await inbox(user.email))[0]!.subject, 'Your Gatehouse password was changed')
    assert.equal((await inbox(user.phone))[0]!.text, 'Gatehouse: your password was just changed. Not you? Reset it now.')

    const unverified = await optedOut({ verifyEmail: false })
    const reset = await publish('password.changed', { userId: unverified.id, reason: 'reset', email: unverified.email, phone: unverified.phone }, unverified.id)
    assert.deepEqual(channels(await s.deliveriesOf('password-changed', reset)), ['sms'], 'an unverified address may be someone else\'s')
  })

  it('sends the old address the undo link of an email change, and the phone a notice without it', async () => {
    const user = await optedOut()
    const newEmail = uniqueEmail('new')
    const undoLink = `https://app.example.com/email-change/undo?token=UNDO-${randomUUID()}`
    const requested = await publish('user.email_change_requested', { userId: user.id, previousEmail: user.email, newEmail, sealed: seal({ undoLink }) }, user.id)
    const rows = await s.deliveriesOf('email-change-requested', requested)
    assert.deepEqual(rows.map(r => [r.channel, r.recipient]).sort(), [['email', user.email], ['sms', user.phone]])
    for (const row of rows) assert.ok(!JSON.stringify(row).includes(undoLink), 'the link never rests in clear')

    const [mail] = await inbox(user.email)
    assert.equal(mail!.subject, 'The email address of your Gatehouse account is being changed')
    assert.ok(mail!.text.includes(`from this address to ${newEmail.slice(0, 2)}***@example.com.`), mail!.text)
    assert.ok(mail!.text.endsWith(`${undoLink}\n`), mail!.text)
    assert.ok(mail!.html!.includes(`href="${undoLink}"`))
    const [sms] = await inbox(user.phone)
    assert.ok(!sms!.text.includes('UNDO-') && !sms!.text.includes('http'), sms!.text)
    assert.deepEqual(await inbox(newEmail), [], 'the new address gets its verification link from the user service, nothing from here')

    const history = await n.svc.app.inject({ method: 'GET', url: '/api/v1/notifications/me', headers: callerHeadersFor(user.id) })
    assert.equal(history.statusCode, 200)
    assert.ok(history.json().items.some((i: { template: string }) => i.template === 'email_change_requested'))
    assert.ok(!history.body.includes('UNDO-') && !history.body.includes(user.email) && !history.body.includes(newEmail), history.body)
  })

  it('tells the old address of an email change made through the user service, with its undo link, and nothing else of it', async () => {
    const user = await optedOut()
    const newEmail = uniqueEmail('moved')
    const res = await s.user.app.inject({ method: 'PATCH', url: '/api/v1/users/me', headers: callerHeadersFor(user.id), payload: { email: newEmail } })
    assert.equal(res.statusCode, 200, res.body)
    const requested = await waitFor(() => s.userEvents.find(e => e.type === 'user.email_change_requested' && e.subject === user.id))
    const rows = await made('email-change-requested', 'email_change_requested', requested)
    assert.deepEqual(rows.map(r => [r.channel, r.recipient]).sort(), [['email', user.email], ['sms', user.phone]])
    const mail = await waitFor(async () => (await inbox(user.email)).find(m => m.subject === 'The email address of your Gatehouse account is being changed'))
    assert.match(mail.text, /\nhttps?:\/\/\S+\/email-change\/undo\?token=\S+\n$/)
    const pending = await waitFor(() => s.userEvents.find(e => e.type === 'user.updated' && e.subject === user.id && (e.data as { changes: string[] }).changes.includes('pending_email')))
    assert.deepEqual(await made('profile-changed', 'profile_changed', pending), [], 'a pending address is not a profile change yet')
  })

  it('tells the old phone and the verified email of a phone change, not the new phone, and makes no profile-change message of it', async () => {
    const user = await optedOut()
    const newPhone = uniquePhone()
    const updated = await publish('user.updated', {
      userId: user.id, changes: ['phone'], email: user.email, phone: newPhone, previousPhone: user.phone, previousPhoneVerified: true, name: null, locale: 'en', emailChanged: false
    }, user.id)
    const rows = await s.deliveriesOf('phone-changed', updated)
    assert.deepEqual(rows.map(r => [r.channel, r.recipient]).sort(), [['email', user.email], ['sms', user.phone]])
    assert.deepEqual(await made('profile-changed', 'profile_changed', updated), [])
    const [sms] = await inbox(user.phone)
    assert.equal(sms!.text, `Gatehouse: the phone number of your account was changed to one ending in ${newPhone.slice(-4)}. Not you? Reset your password now.`)
    assert.deepEqual(await inbox(newPhone), [])

    const unverifiedOld = await publish('user.updated', {
      userId: user.id, changes: ['phone'], email: user.email, phone: uniquePhone(), previousPhone: newPhone, previousPhoneVerified: false, name: null, emailChanged: false
    }, user.id)
    assert.deepEqual(channels(await s.deliveriesOf('phone-changed', unverifiedOld)), ['email'])
  })

  it('tells a disabled user on every verified channel', async () => {
    const user = await optedOut()
    const disabled = await publish('user.disabled', { userId: user.id, by: randomUUID() }, user.id)
    assert.deepEqual(channels(await s.deliveriesOf('account-disabled', disabled)), ['email', 'sms'])
    assert.equal((await inbox(user.email))[0]!.subject, 'Your Gatehouse account was disabled')
    assert.match((await inbox(user.phone))[0]!.text, /^Gatehouse: your account was disabled by an administrator\./)
  })

  it('tells the user on every verified channel when a passkey is added or removed', async () => {
    const user = await optedOut()
    const passkeyId = randomUUID()
    const added = await publish('auth.passkey_added', { userId: user.id, passkeyId, name: 'Work <laptop>' }, user.id)
    assert.deepEqual(channels(await s.deliveriesOf('passkey-changed', added)), ['email', 'sms'])
    const mail = (await inbox(user.email))[0]!
    assert.equal(mail.subject, 'A passkey was added to your Gatehouse account')
    assert.match(mail.text, /named "Work <laptop>"/)
    assert.match((await inbox(user.phone))[0]!.text, /^Gatehouse: a passkey was added to your account\./)
    const removed = await publish('auth.passkey_removed', { userId: user.id, passkeyId, name: 'Work <laptop>' }, user.id)
    assert.deepEqual(channels(await s.deliveriesOf('passkey-changed', removed)), ['email', 'sms'])
    assert.equal((await inbox(user.email))[0]!.subject, 'A passkey was removed from your Gatehouse account')
  })

  it('tells the user on every verified channel when an identity provider\'s account was linked to theirs', async () => {
    const user = await optedOut()
    const linked = await publish('auth.identity_linked', { userId: user.id, provider: 'corp' }, user.id)
    assert.deepEqual(channels(await s.deliveriesOf('identity-linked', linked)), ['email', 'sms'])
    assert.deepEqual(templates(await s.deliveriesOf('identity-linked', linked)), ['identity_linked'])
    const mail = (await inbox(user.email))[0]!
    assert.equal(mail.subject, 'A sign-in was linked to your Gatehouse account')
    assert.match(mail.text, /identity provider \(corp\): that provider's account can now sign in to yours without a password\./)
    assert.match((await inbox(user.phone))[0]!.text, /^Gatehouse: a sign-in with an identity provider \(corp\) was linked to your account\./)
  })

  it('erases a deleted user\'s history, inbox captures and cached contact, then says goodbye on the verified channels', async () => {
    const user = await optedOut()
    const other = await optedOut()
    // History: a code for the user, a code to their phone that named no user, the other user's password change.
    await n.settled(await n.request({ template: 'otp_code', channel: 'email', to: user.email, userId: user.id, variables: { expiresInMinutes: '10' }, secrets: { code: '112233' } }))
    await n.settled(await n.request({ template: 'otp_code', channel: 'sms', to: user.phone, variables: { expiresInMinutes: '10' }, secrets: { code: '445566' } }))
    const othersChange = await publish('password.changed', { userId: other.id, reason: 'change', email: other.email, phone: other.phone }, other.id)
    await s.deliveriesOf('password-changed', othersChange)
    const changed = await publish('password.changed', { userId: user.id, reason: 'change', email: user.email, phone: user.phone }, user.id)
    await s.deliveriesOf('password-changed', changed)
    assert.ok(await n.svc.ctx.cache.get(`notification:contact:${user.id}`), 'the contact was cached')
    assert.equal((await inbox(user.email)).length, 2)
    assert.equal((await n.inbox(user.email)).length, 3, 'with the welcome')

    const deleted = await publish('user.deleted', {
      userId: user.id, email: user.email.toUpperCase(), phone: user.phone, emailVerified: true, phoneVerified: true, deletedBy: 'self', locale: 'de'
    }, user.id)
    const goodbye = await s.deliveriesOf('account-deleted', deleted)
    assert.deepEqual(channels(goodbye), ['email', 'sms'])

    const left = await n.deliveries('user_id = $1 or lower(recipient) = any($2::text[])', [user.id, [user.email.toLowerCase(), user.phone]])
    assert.deepEqual(left.map(r => r.id).sort(), goodbye.map(r => r.id).sort(), 'only the goodbye is left')
    const [mail, ...olderMails] = await n.inbox(user.email)
    assert.deepEqual(olderMails, [])
    assert.equal(mail!.subject, 'Ihr Gatehouse-Konto wurde gelöscht')
    const [sms, ...olderSms] = await n.inbox(user.phone)
    assert.deepEqual(olderSms, [])
    assert.match(sms!.text, /^Gatehouse: Ihr Konto und die persönlichen Daten darin wurden gelöscht\./)
    assert.equal(await n.svc.ctx.cache.get(`notification:contact:${user.id}`), undefined)
    const history = await n.svc.app.inject({ method: 'GET', url: '/api/v1/notifications/me', headers: callerHeadersFor(user.id) })
    assert.deepEqual(history.json().items.map((i: { template: string }) => i.template), ['account_deleted', 'account_deleted'])

    assert.deepEqual((await n.deliveries('user_id = $1', [other.id])).map(r => r.template).sort(), ['password_changed', 'password_changed', 'welcome'], 'another user\'s history stays')
    assert.equal((await inbox(other.email)).length, 1)
    assert.equal((await n.inbox(other.email)).length, 2, 'with the welcome')
  })

  it('says goodbye only on the channels the deleted account had verified, by an administrator\'s hand', async () => {
    const email = uniqueEmail('gone')
    const deleted = await publish('user.deleted', {
      userId: randomUUID(), email, phone: uniquePhone(), emailVerified: true, phoneVerified: false, deletedBy: 'admin'
    }, randomUUID())
    assert.deepEqual(channels(await s.deliveriesOf('account-deleted', deleted)), ['email'])
    assert.match((await inbox(email))[0]!.text, /^Your Gatehouse account was deleted by an administrator, together with the personal data it held/)
  })
})
