import { after, before, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { openRetentionTestDb } from '@app/kit/testing'
import type { RetentionTestDb } from '@app/kit/testing'
import { otpService } from '../src/service.ts'

const NOW = new Date('2030-06-01T12:00:00.000Z')
const HOUR = 3_600_000
const ago = (ms: number) => new Date(NOW.getTime() - ms)

let t: RetentionTestDb
before(async () => { t = await openRetentionTestDb(otpService) })
after(() => t.cleanup())

async function code (destination: string, state: string, expiresAt: Date): Promise<void> {
  await t.db.query(`insert into otp_codes (id, destination, purpose, channel, code_hmac, salt, created_at, expires_at, last_sent_at, state)
    values ($1, $2, 'login', 'sms', 'hmac', 'salt', $3, $3, $3, $4)`, [randomUUID(), destination, expiresAt, state])
}

it('deletes codes a day after they expired, whatever their state, and keeps the others', async () => {
  await code('+15550000001', 'used', ago(24 * HOUR + 1))
  await code('+15550000002', 'active', ago(24 * HOUR + 1))
  await code('+15550000003', 'dead', ago(100 * HOUR))
  await code('+15550000004', 'replaced', ago(24 * HOUR))
  await code('+15550000005', 'active', ago(-10 * 60_000))
  const removed = await t.retain(NOW)
  assert.deepEqual(removed, { 'otp_codes.expired': 3 })
  const { rows } = await t.db.query<{ destination: string }>('select destination from otp_codes order by destination')
  assert.deepEqual(rows.map(r => r.destination), ['+15550000004', '+15550000005'])
})

it('follows OTP_CODE_RETENTION_HOURS', async () => {
  const removed = await t.retain(NOW, { OTP_CODE_RETENTION_HOURS: '0' })
  assert.deepEqual(removed, { 'otp_codes.expired': 1 })
})
