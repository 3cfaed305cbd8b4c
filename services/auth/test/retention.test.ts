import { after, before, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { openRetentionTestDb } from '@app/kit/testing'
import type { RetentionTestDb } from '@app/kit/testing'
import { authService } from '../src/service.ts'

const NOW = new Date('2030-06-01T12:00:00.000Z')
const HOUR = 3_600_000
const ago = (ms: number) => new Date(NOW.getTime() - ms)
const SESSION_KEEP = 720 * HOUR
const TOKEN_KEEP = 24 * HOUR

let t: RetentionTestDb
before(async () => { t = await openRetentionTestDb(authService) })
after(() => t.cleanup())

async function session (name: string, expiresAt: Date, revokedAt: Date | null = null): Promise<string> {
  const id = randomUUID()
  await t.db.query(`insert into sessions (id, user_id, created_at, last_used_at, expires_at, revoked_at, revoked_reason)
    values ($1, $2, $3, $3, $4, $5, $6)`, [id, randomUUID(), ago(2000 * HOUR), expiresAt, revokedAt, name])
  return id
}

async function token (hash: string, sessionId: string, expiresAt: Date, usedAt: Date | null = null): Promise<void> {
  await t.db.query('insert into refresh_tokens (hash, session_id, created_at, expires_at, used_at) values ($1, $2, $3, $4, $5)',
    [hash, sessionId, ago(2000 * HOUR), expiresAt, usedAt])
}

const names = async (sql: string) => (await t.db.query<{ name: string }>(sql)).rows.map(r => r.name)

it('deletes ended sessions after 30 days with their tokens, and expired tokens after a day', async () => {
  const revoked = await session('revoked-old', ago(-HOUR), ago(SESSION_KEEP + 1))
  await session('revoked-boundary', ago(-HOUR), ago(SESSION_KEEP))
  await session('expired-old', ago(SESSION_KEEP + 1))
  const live = await session('live', ago(-1000 * HOUR))
  await token('of-revoked', revoked, ago(-HOUR))
  // A spent token stays until it expires: presenting it again still ends its session.
  await token('spent-live', live, ago(-HOUR), ago(HOUR))
  await token('spent-expired', live, ago(TOKEN_KEEP + 1), ago(800 * HOUR))
  await token('unused-expired', live, ago(TOKEN_KEEP + 1))
  await token('expired-boundary', live, ago(TOKEN_KEEP))

  const removed = await t.retain(NOW)
  assert.equal(removed['sessions.ended'], 2)
  assert.equal(removed['refresh_tokens.expired'], 2)
  assert.deepEqual(await names('select revoked_reason as name from sessions order by 1'), ['live', 'revoked-boundary'])
  assert.deepEqual(await names('select hash as name from refresh_tokens order by 1'), ['expired-boundary', 'spent-live'])
})

it('deletes expired MFA challenges and old otp request results', async () => {
  await t.db.query(`insert into mfa_challenges (id, user_id, channel, created_at, expires_at)
    values ($1, $2, 'sms', $3, $3), ($4, $2, 'sms', $5, $5)`, [randomUUID(), randomUUID(), ago(TOKEN_KEEP + 1), randomUUID(), ago(TOKEN_KEEP)])
  await t.db.query(`insert into otp_request_results (request_id, destination, purpose, status, received_at)
    values ($1, '+15550000001', 'login', 'sent', $2), ($3, '+15550000001', 'login', 'sent', $4)`, [randomUUID(), ago(TOKEN_KEEP + 1), randomUUID(), ago(TOKEN_KEEP)])
  const removed = await t.retain(NOW)
  assert.equal(removed['mfa_challenges.expired'], 1)
  assert.equal(removed.otp_request_results, 1)
})

it('deletes the tombstones of erased sessions a day after they ended', async () => {
  const old = randomUUID()
  await t.db.query('insert into session_tombstones (id, revoked_at) values ($1, $2), ($3, $4)', [old, ago(TOKEN_KEEP + 1), randomUUID(), ago(TOKEN_KEEP)])
  const removed = await t.retain(NOW)
  assert.equal(removed.session_tombstones, 1)
  assert.equal((await t.db.query('select id from session_tombstones where id = $1', [old])).rows.length, 0)
})
