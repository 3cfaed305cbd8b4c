/**
 * The metrics that matter move when what they count happens: logins (success
 * and failure), token reuse, code sends and validations, deliveries, consumer
 * work, outbox publishes, dead letters, rate-limit refusals and the audit
 * chain's verdict. Each is read from the owning service's /metrics (the
 * gateway's on its operations listener), embedded or on the real servers.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes, randomUUID } from 'node:crypto'
import { waitFor } from '@app/kit/testing'
import type { CloudEvent } from '@app/kit/bus'
import { usePlatform } from '../e2e/helper.ts'
import { parseExposition, total } from './exposition.ts'
import type { Exposition } from './exposition.ts'
import { scrape } from './scrape.ts'

const PASSWORD = 'correct horse battery'
const email = (tag: string) => `${tag}.${randomBytes(4).toString('hex')}@example.com`

describe('service metrics move with what they count', () => {
  const gw = usePlatform({
    GATEWAY_OPS_PORT: '0',
    // Only /openapi.json and /docs are held this tight: one request an hour.
    GATEWAY_RATE_LIMITS: 'group.docs=1/h burst 1',
    AUTH_REFRESH_REUSE_INTERVAL_SECONDS: '0',
    AUDIT_CHAIN_VERIFY_INTERVAL_SECONDS: '1'
  })

  async function metrics (service: string): Promise<Exposition> {
    const running = gw.platform.services.get(service)!
    const base = service === 'gateway' ? (running.app as unknown as { opsUrl: string }).opsUrl : running.url
    return parseExposition(await scrape(`${base}/metrics`))
  }
  const count = async (service: string, name: string, labels: Record<string, string> = {}) => total(await metrics(service), name, labels)
  /** Waits until the metric grew past `before`; returns its value. */
  const grows = (service: string, name: string, labels: Record<string, string>, before: number) =>
    waitFor(async () => { const now = await count(service, name, labels); return now > before && now }, 20_000, 50)

  it('counts a successful and a failed password login, and a refresh token reused', async () => {
    const address = email('metrics')
    assert.equal((await gw.json('POST', '/api/v1/users/register', { email: address, password: PASSWORD })).status, 201)
    const success = { outcome: 'success', method: 'password' }
    const failure = { outcome: 'failure', method: 'password' }
    const reason = { method: 'password', reason: 'invalid_credentials' }
    const before = { success: await count('auth', 'gatehouse_logins_total', success), failure: await count('auth', 'gatehouse_logins_total', failure), reason: await count('auth', 'gatehouse_login_failures_total', reason), reuse: await count('auth', 'gatehouse_token_reuse_detections_total') }

    const login = await gw.json('POST', '/api/v1/auth/login', { email: address, password: PASSWORD })
    assert.equal(login.status, 200, JSON.stringify(login.body))
    assert.equal((await gw.json('POST', '/api/v1/auth/login', { email: address, password: 'not the password' })).status, 401)
    assert.equal(await count('auth', 'gatehouse_logins_total', success), before.success + 1)
    assert.equal(await count('auth', 'gatehouse_logins_total', failure), before.failure + 1)
    assert.equal(await count('auth', 'gatehouse_login_failures_total', reason), before.reason + 1)

    const { refreshToken } = login.body as { refreshToken: string }
    assert.equal((await gw.json('POST', '/api/v1/auth/refresh', { refreshToken })).status, 200)
    const reused = await gw.json('POST', '/api/v1/auth/refresh', { refreshToken })
    assert.equal(reused.body.code, 'token_reused')
    assert.equal(await count('auth', 'gatehouse_token_reuse_detections_total'), before.reuse + 1)
  })

  it('counts a code sent and a wrong code, the delivery, the consumer that queued it and the outbox publish', async () => {
    const to = email('code')
    const sent = { operation: 'generate', channel: 'email', purpose: 'verification', outcome: 'sent' }
    const wrong = { channel: 'email', purpose: 'verification', outcome: 'otp_invalid' }
    const delivered = { channel: 'email', provider: 'inbox', status: 'sent' }
    const before = {
      sent: await count('otp', 'gatehouse_otp_sends_total', sent),
      wrong: await count('otp', 'gatehouse_otp_validations_total', wrong),
      delivered: await count('notification', 'gatehouse_deliveries_total', delivered),
      sendTimes: await count('notification', 'gatehouse_delivery_send_seconds_count', { channel: 'email', provider: 'inbox' }),
      handled: await count('notification', 'gatehouse_consumer_processing_seconds_count', { outcome: 'ok' }),
      published: await count('otp', 'gatehouse_outbox_published_total')
    }
    assert.equal((await gw.json('POST', '/api/v1/otp/generate', { destination: to })).status, 202)
    assert.equal(await count('otp', 'gatehouse_otp_sends_total', sent), before.sent + 1)
    assert.equal((await gw.json('POST', '/api/v1/otp/validate', { destination: to, otp: '000000' })).status, 400)
    assert.equal(await count('otp', 'gatehouse_otp_validations_total', wrong), before.wrong + 1)

    await grows('notification', 'gatehouse_deliveries_total', delivered, before.delivered)
    assert.ok(await count('notification', 'gatehouse_delivery_send_seconds_count', { channel: 'email', provider: 'inbox' }) > before.sendTimes, 'the provider call is timed')
    assert.ok(await count('notification', 'gatehouse_consumer_processing_seconds_count', { outcome: 'ok' }) > before.handled, 'the consumer that queued the send was timed')
    assert.ok(await count('otp', 'gatehouse_outbox_published_total') > before.published, 'the code\'s events were published from the otp outbox')
    const outbox = await metrics('otp')
    assert.ok(outbox.samples.some(s => s.name === 'gatehouse_outbox_backlog'), 'the backlog is read on scrape')
    assert.ok(outbox.samples.some(s => s.name === 'gatehouse_outbox_oldest_age_seconds' && s.value >= 0))
  })

  it('counts a dead-lettered event and shows it waiting in the dead-letter queue', async () => {
    const consumer = 'otp.user-deleted'
    const before = {
      parked: await count('otp', 'gatehouse_consumer_dead_lettered_total', { consumer }),
      waiting: await count('otp', 'gatehouse_dead_letter_messages', { queue: consumer })
    }
    // A user.deleted whose payload breaks its contract: every consumer of it dead-letters it at once.
    const poison: CloudEvent = {
      specversion: '1.0', id: randomUUID(), source: '/test/metrics', type: 'user.deleted', time: new Date().toISOString(), datacontenttype: 'application/json', data: { nonsense: true }
    }
    await gw.platform.services.get('otp')!.ctx.bus.publish(poison)
    await grows('otp', 'gatehouse_consumer_dead_lettered_total', { consumer }, before.parked)
    await grows('otp', 'gatehouse_dead_letter_messages', { queue: consumer }, before.waiting)
  })

  it('counts a rate-limit refusal by route group and limit', async () => {
    const labels = { group: 'docs', limit: 'group' }
    const before = await count('gateway', 'gatehouse_rate_limit_rejections_total', labels)
    const statuses = [(await fetch(`${gw.url}/openapi.json`)).status, (await fetch(`${gw.url}/openapi.json`)).status]
    assert.equal(statuses[1], 429, `answers ${statuses.join(', ')}`)
    assert.equal(await count('gateway', 'gatehouse_rate_limit_rejections_total', labels), before + 1)
  })

  it('reports the audit chain intact, then broken once an entry was changed behind the service\'s back', async () => {
    await waitFor(async () => await count('audit', 'gatehouse_audit_chain_last_verify_timestamp_seconds') > 0, 20_000, 50)
    assert.equal(await count('audit', 'gatehouse_audit_chain_broken'), 0)
    const audit = gw.platform.services.get('audit')!.ctx.db
    await waitFor(async () => (await audit.query<{ n: number }>('select count(*)::int as n from audit_events')).rows[0]!.n > 0, 20_000, 50)
    await audit.tx(async (tx) => {
      await tx.query('alter table audit_events disable trigger user')
      await tx.query('update audit_events set hash = repeat(\'0\', 64) where seq = (select min(seq) from audit_events)')
      await tx.query('alter table audit_events enable trigger user')
    })
    await waitFor(async () => await count('audit', 'gatehouse_audit_chain_broken') === 1, 20_000, 50)
  })
})
