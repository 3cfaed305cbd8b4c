import { after, before, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { openRetentionTestDb } from '@app/kit/testing'
import type { RetentionTestDb } from '@app/kit/testing'
import { notificationService } from '../src/service.ts'

const NOW = new Date('2030-06-01T12:00:00.000Z')
const HOUR = 3_600_000
const ago = (ms: number) => new Date(NOW.getTime() - ms)

let t: RetentionTestDb
before(async () => { t = await openRetentionTestDb(notificationService) })
after(() => t.cleanup())

async function delivery (key: string, status: string, updatedAt: Date): Promise<void> {
  await t.db.query(`insert into deliveries (id, idempotency_key, channel, recipient, template, status, max_attempts, created_at, updated_at)
    values ($1, $2, 'email', 'a@example.com', 'welcome', $3, 5, $4, $4)`, [randomUUID(), key, status, updatedAt])
}

it('deletes sent and dead deliveries after 30 days and never work in progress', async () => {
  const old = ago(720 * HOUR + 1)
  await delivery('sent-old', 'sent', old)
  await delivery('dead-old', 'dead', old)
  await delivery('sent-boundary', 'sent', ago(720 * HOUR))
  for (const status of ['queued', 'sending', 'failed']) await delivery(`${status}-old`, status, ago(10_000 * HOUR))
  const removed = await t.retain(NOW)
  assert.equal(removed['deliveries.finished'], 2)
  const { rows } = await t.db.query<{ idempotency_key: string }>('select idempotency_key from deliveries order by idempotency_key')
  assert.deepEqual(rows.map(r => r.idempotency_key), ['failed-old', 'queued-old', 'sending-old', 'sent-boundary'])
})

it('empties the dev inbox of messages older than a day', async () => {
  const message = (text: string, at: Date) => t.db.query(
    'insert into dev_inbox (id, channel, recipient, text, created_at) values ($1, \'sms\', \'+15550000001\', $2, $3)', [randomUUID(), text, at])
  for (let i = 0; i < 7; i++) await message(`old ${i}`, ago(24 * HOUR + 1 + i))
  await message('boundary', ago(24 * HOUR))
  assert.equal((await t.retain(NOW)).dev_inbox, 7)
  const { rows } = await t.db.query<{ text: string }>('select text from dev_inbox')
  assert.deepEqual(rows.map(r => r.text), ['boundary'])
})
