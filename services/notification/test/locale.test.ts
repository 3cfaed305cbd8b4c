import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createEvent } from '@app/kit/bus'
import { callerHeadersFor, waitFor } from '@app/kit/testing'
import { channels, usePreferenceStack } from './stack.ts'
import type { TestUser } from './stack.ts'

describe('locales and profile changes', () => {
  const s = usePreferenceStack()
  const { n } = s

  /** The user service has no route for it yet: the locale is set in its table, before the notification service first asks. */
  async function speaking (locale: string, options: Parameters<typeof s.register>[0] = {}): Promise<TestUser> {
    const user = await s.register(options)
    await s.user.ctx.db.query('update users set locale = $2 where id = $1', [user.id, locale])
    return user
  }

  it('writes to a user whose locale is de in German: an order confirmation and a requested code', async () => {
    const user = await speaking('de', { phone: true })
    const order = await s.order(user, { items: [{ sku: 'TEE', quantity: 1, unitPrice: 123456 }], total: 123456 })
    assert.deepEqual(channels(await s.deliveriesOf('order-confirmation', order)), ['email', 'sms'])
    const [mail] = (await n.inbox(user.email!)).filter(m => m.subject?.includes('Bestellung'))
    assert.match(mail!.subject!, /^Ihre Gatehouse-Bestellung [0-9a-f]{8} ist bestätigt$/)
    assert.match(mail!.text, /1 × TEE zu je 1\.234,56\u00a0€: 1\.234,56\u00a0€\n\nGesamtbetrag: 1\.234,56\u00a0€/)
    assert.match(mail!.html!, /^<!doctype html>\n<html lang="de">/)
    assert.match((await n.inbox(user.phone!))[0]!.text, /Bestellung [0-9a-f]{8} bestätigt: 1 Artikel, Gesamtbetrag 1\.234,56\u00a0€/)

    const code = await n.request({ template: 'otp_code', channel: 'sms', to: user.phone!, userId: user.id, variables: { purpose: 'login', expiresInMinutes: '10' }, secrets: { code: '864209' } })
    await n.settled(code)
    assert.equal((await n.inbox(user.phone!))[0]!.text, '864209 ist Ihr Gatehouse-Anmeldecode. Gültig für 10 Min. Niemals weitergeben.')
  })

  it('falls back from de-AT to de, and from a locale without templates to English', async () => {
    const austrian = await speaking('de-AT')
    const french = await speaking('fr')
    for (const user of [austrian, french]) {
      await s.setPreferences(user, { channels: { email: true, sms: false }, events: { 'auth.login_succeeded': ['email'] } })
      await n.publish(createEvent('/services/auth', 'auth.login_succeeded', { userId: user.id, sessionId: 's', method: 'phone_otp' }, user.id))
    }
    const german = await waitFor(async () => (await n.inbox(austrian.email!)).find(m => m.subject?.startsWith('Neue Anmeldung')))
    assert.match(german.text, /^Jemand hat sich am \d+\. \w+ \d{4} um .+ UTC mit einem Code auf Ihr Telefon angemeldet\./)
    const english = await waitFor(async () => (await n.inbox(french.email!)).find(m => m.subject?.startsWith('New sign-in')))
    assert.match(english.text, /signed in with a code sent to your phone/)
  })

  it('tells the user their profile changed, in their language, on the channels they allow', async () => {
    const user = await speaking('de', { phone: true, name: 'Ada' })
    await s.setPreferences(user, { channels: { email: true, sms: true }, events: { 'user.updated': ['email'] } })
    const res = await s.user.app.inject({ method: 'PATCH', url: '/api/v1/users/me', headers: callerHeadersFor(user.id), payload: { name: 'Ada L.' } })
    assert.equal(res.statusCode, 200, res.body)
    const mail = await waitFor(async () => (await n.inbox(user.email!)).find(m => m.subject === 'Ihr Gatehouse-Profil wurde geändert'))
    assert.match(mail.text, /^Hallo Ada L\.,\n\nFolgende Angaben Ihres Gatehouse-Kontos wurden soeben geändert: Name\./)
    const updates = s.userEvents.filter(e => e.type === 'user.updated' && e.subject === user.id)
    const [preferencesOnly, profile] = [updates[0]!, await waitFor(() => s.userEvents.filter(e => e.type === 'user.updated' && e.subject === user.id)[1])]
    assert.deepEqual(await s.deliveriesOf('profile-changed', preferencesOnly), [], 'saving preferences is not a profile change to announce')
    assert.deepEqual(channels(await s.deliveriesOf('profile-changed', profile)), ['email'])
  })
})
