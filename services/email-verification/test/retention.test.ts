import { after, before, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { openRetentionTestDb } from '@app/kit/testing'
import type { RetentionTestDb } from '@app/kit/testing'
import { emailVerificationService } from '../src/service.ts'

const NOW = new Date('2030-06-01T12:00:00.000Z')
const HOUR = 3_600_000
const ago = (ms: number) => new Date(NOW.getTime() - ms)

let t: RetentionTestDb
before(async () => { t = await openRetentionTestDb(emailVerificationService) })
after(() => t.cleanup())

it('deletes verification tokens a day after they expired, spent, revoked or not, and keeps the others', async () => {
  const token = (hash: string, expiresAt: Date, revokedAt: Date | null = null) => t.db.query(
    `insert into verification_tokens (hash, user_id, email, created_at, expires_at, revoked_at)
      values ($1, $2, 'a@example.com', $3, $3, $4)`, [hash, randomUUID(), expiresAt, revokedAt])
  await token('old', ago(24 * HOUR + 1))
  await token('old-revoked', ago(48 * HOUR), ago(60 * HOUR))
  await token('boundary', ago(24 * HOUR))
  await token('live', ago(-HOUR))
  assert.deepEqual(await t.retain(NOW), { 'verification_tokens.expired': 2 })
  const { rows } = await t.db.query<{ hash: string }>('select hash from verification_tokens order by hash')
  assert.deepEqual(rows.map(r => r.hash), ['boundary', 'live'])
})
