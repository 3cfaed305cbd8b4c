import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { waitFor } from '@app/kit/testing'
import { uniqueEmail, useNotification } from './helper.ts'

describe('an email-only deployment (SMS_ENABLED=false)', () => {
  const n = useNotification({ SMS_ENABLED: 'false' })

  it('records a message for a phone number as dead at once, saying SMS is off, and still sends email', async () => {
    const sms = await n.request({ template: 'otp_code', channel: 'sms', to: '+14155550188', variables: { expiresInMinutes: '10' }, secrets: { code: '123456' } })
    const to = uniqueEmail('smsoff')
    const email = await n.request({ template: 'otp_code', channel: 'email', to, variables: { expiresInMinutes: '10' }, secrets: { code: '654321' } })

    const [dead] = await n.settled(sms)
    assert.deepEqual([dead!.status, dead!.attempts, dead!.provider], ['dead', 1, 'none'])
    assert.match(dead!.last_error!, /SMS is turned off \(SMS_ENABLED=false\)/)
    const failed = await waitFor(() => n.events.find(e => e.type === 'notification.failed' && (e.data as { deliveryId: string }).deliveryId === dead!.id))
    assert.deepEqual([(failed.data as { permanent: boolean }).permanent, (failed.data as { provider: string }).provider], [true, 'none'])

    const [sent] = await n.settled(email)
    assert.equal(sent!.status, 'sent')
    assert.equal((await n.inbox(to)).length, 1)
    assert.equal((await n.svc.app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200, 'the service keeps serving')
  })
})
