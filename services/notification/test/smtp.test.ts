import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { waitFor } from '@app/kit/testing'
import { startSmtpServer } from './smtp-server.ts'
import { internal, uniqueEmail, useNotification } from './helper.ts'

describe('email over SMTP (a real SMTP server in the test)', () => {
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>
  before(async () => {
    smtp = await startSmtpServer({
      user: 'mailer',
      pass: 's3cr3t pass',
      refuse: (address, attempt) => {
        if (address.startsWith('nobody.')) return 550
        if (address.startsWith('busy.') && attempt === 1) return 451
        return undefined
      }
    })
  })
  after(async () => { await smtp?.close() })
  const n = useNotification(() => ({
    NOTIFY_SMTP_URL: `smtp://mailer:${encodeURIComponent('s3cr3t pass')}@127.0.0.1:${smtp.port}`,
    NOTIFY_SMTP_FROM: 'Gatehouse <no-reply@gatehouse.test>',
    NOTIFY_SMTP_TIMEOUT_MS: '2000'
  }))

  it('sends an OTP: the recipient, the subject, a text and an HTML body, and the code in each', async () => {
    const to = uniqueEmail('otp')
    const event = await n.request({ template: 'otp_code', channel: 'email', to, variables: { purpose: 'login', expiresInMinutes: '10' }, secrets: { code: '493817' } })
    const [row] = await n.settled(event)
    assert.equal(row!.status, 'sent', row!.last_error ?? '')
    assert.equal(row!.provider, 'smtp')
    const mail = await waitFor(() => smtp.received.find(m => m.to.includes(to)))
    assert.deepEqual(mail.to, [to])
    assert.equal(mail.from, 'no-reply@gatehouse.test')
    assert.match(mail.headers.from!, /Gatehouse <no-reply@gatehouse\.test>/)
    assert.equal(mail.subject, 'Your Gatehouse login code: 493817')
    assert.match(mail.text, /Your Gatehouse login code is 493817\n/)
    assert.match(mail.text, /It expires in 10 minutes/)
    assert.match(mail.html, /^<!doctype html>/)
    assert.match(mail.html, />493817</)
    assert.equal(row!.provider_message_id, mail.headers['message-id'])
    assert.equal(row!.sealed, null, 'once sent, the sealed code is dropped from the row')
    assert.equal((await n.inbox(to)).length, 0, 'a real provider, not the dev inbox')
  })

  it('escapes variables in the HTML body and not in the text body', async () => {
    const to = uniqueEmail('esc')
    const res = await n.svc.app.inject({
      method: 'POST',
      url: '/internal/notifications/email',
      headers: internal,
      payload: { to, template: 'welcome', variables: { name: 'Ada <script>alert(1)</script> & Co' } }
    })
    assert.equal(res.statusCode, 202, res.body)
    const mail = await waitFor(() => smtp.received.find(m => m.to.includes(to)))
    assert.match(mail.text, /Hi Ada <script>alert\(1\)<\/script> & Co,/)
    assert.ok(mail.html.includes('Hi Ada &#60;script&#62;alert(1)&#60;/script&#62; &#38; Co,'), mail.html)
    assert.ok(!mail.html.includes('<script>'))
  })

  it('does not retry a permanent rejection (550): the delivery is dead after one attempt', async () => {
    const to = uniqueEmail('nobody')
    const event = await n.request({ template: 'password_reset_link', channel: 'email', to, variables: { expiresInMinutes: '30' }, secrets: { link: 'https://app.example.com/reset?token=abc' } })
    const [row] = await n.settled(event)
    assert.equal(row!.status, 'dead')
    assert.equal(row!.attempts, 1)
    assert.match(row!.last_error!, /550/)
    assert.equal(smtp.attemptsFor(to), 1)
    const failed = await waitFor(() => n.events.find(e => e.type === 'notification.failed' && (e.data as { deliveryId: string }).deliveryId === row!.id))
    assert.equal((failed.data as { permanent: boolean }).permanent, true)
    assert.ok(!JSON.stringify(failed).includes('token=abc'), 'the event never carries the link')
  })

  it('retries a temporary rejection (451) and then delivers', async () => {
    const to = uniqueEmail('busy')
    const event = await n.request({ template: 'otp_code', channel: 'email', to, variables: { expiresInMinutes: '10' }, secrets: { code: '100200' } })
    const [row] = await n.settled(event)
    assert.equal(row!.status, 'sent', row!.last_error ?? '')
    assert.equal(row!.attempts, 2)
    assert.equal(smtp.attemptsFor(to), 2)
    assert.equal(smtp.received.filter(m => m.to.includes(to)).length, 1)
    assert.match(smtp.received.find(m => m.to.includes(to))!.text, /100200/)
  })
})
