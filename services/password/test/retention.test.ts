import { after, before, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { openRetentionTestDb } from '@app/kit/testing'
import type { RetentionTestDb } from '@app/kit/testing'
import { passwordService } from '../src/service.ts'

const NOW = new Date('2030-06-01T12:00:00.000Z')
const HOUR = 3_600_000
const ago = (ms: number) => new Date(NOW.getTime() - ms)

let t: RetentionTestDb
before(async () => { t = await openRetentionTestDb(passwordService) })
after(() => t.cleanup())

it('deletes reset tokens a day after they expired, spent or not, and keeps the others', async () => {
  const token = (hash: string, expiresAt: Date, usedAt: Date | null = null) => t.db.query(
    'insert into reset_tokens (hash, user_id, created_at, expires_at, used_at) values ($1, $2, $3, $3, $4)', [hash, randomUUID(), expiresAt, usedAt])
  await token('old-unused', ago(24 * HOUR + 1))
  await token('old-spent', ago(30 * HOUR), ago(31 * HOUR))
  await token('boundary', ago(24 * HOUR))
  await token('live', ago(-HOUR))
  assert.deepEqual(await t.retain(NOW), { 'reset_tokens.expired': 2 })
  const { rows } = await t.db.query<{ hash: string }>('select hash from reset_tokens order by hash')
  assert.deepEqual(rows.map(r => r.hash), ['boundary', 'live'])
})
