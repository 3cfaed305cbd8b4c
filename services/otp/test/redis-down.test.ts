import { describe, it, after, before } from 'node:test'
import assert from 'node:assert/strict'
import { openRedisCache } from '@app/kit/cache'
import type { RedisCache } from '@app/kit/cache'
import { deleteCacheKeys, openTestBackends, startTcpProxy, startTestService, uniqueName, waitFor } from '@app/kit/testing'
import type { TcpProxy, TestBackends } from '@app/kit/testing'
import { notificationService } from '@app/notification'
import { otpService } from '../src/service.ts'
import { uniquePhone, wrong } from './helper.ts'

type Running = Awaited<ReturnType<typeof startTestService>>

describe('otp while Redis is unreachable', { skip: !process.env.REDIS_URL && 'needs REDIS_URL' }, () => {
  const s = {} as { backends: TestBackends, proxy: TcpProxy, cache: RedisCache, otp: Running, notification: Running }
  const prefix = `${uniqueName('otp-down')}:`

  before(async () => {
    s.backends = await openTestBackends()
    const redis = new URL(process.env.REDIS_URL!)
    s.proxy = await startTcpProxy(redis.hostname, Number(redis.port || 6379))
    // Only the otp service reaches Redis through the proxy the test cuts.
    s.cache = await openRedisCache({ url: s.proxy.url(process.env.REDIS_URL!), prefix, commandTimeoutMs: 300 })
    s.notification = await startTestService(notificationService, {}, s.backends)
    s.otp = await startTestService(otpService, { OTP_RESEND_COOLDOWN_SECONDS: '0' }, { ...s.backends, cache: { ...s.backends.cache, cache: s.cache } })
  })
  after(async () => {
    await s.otp?.cleanup()
    await s.notification?.cleanup()
    await s.cache?.close()
    await s.proxy?.close()
    await deleteCacheKeys(process.env.REDIS_URL!, prefix)
    await s.backends?.cleanup()
  })

  const post = (path: string, payload: object) => s.otp.app.inject({ method: 'POST', url: `/api/v1/otp/${path}`, payload })
  const ready = async () => (await s.otp.app.inject({ method: 'GET', url: '/readyz' })).json() as { status: string }
  async function codeFor (phone: string): Promise<string> {
    const items = await waitFor(async () => {
      const res = await s.notification.app.inject({ method: 'GET', url: `/dev/inbox?to=${encodeURIComponent(phone)}` })
      return res.json().items.length > 0 && res.json().items as Array<{ text: string }>
    })
    return /\b(\d{6})\b/.exec(items[0]!.text)![1]!
  }

  it('keeps generating and validating from PostgreSQL, reports degraded, and recovers', async () => {
    const before = uniquePhone()
    assert.equal((await post('generate', { destination: before })).statusCode, 202)
    const beforeCode = await codeFor(before)
    assert.equal((await ready()).status, 'ok')

    s.proxy.cut()
    // A code issued before the outage is still found (in the database) and still counts wrong tries.
    const miss = await post('validate', { destination: before, otp: wrong(beforeCode) })
    assert.equal(miss.statusCode, 400)
    assert.equal(miss.json().attemptsLeft, 4)
    assert.equal((await post('validate', { destination: before, otp: beforeCode })).statusCode, 200)
    const during = uniquePhone()
    assert.equal((await post('generate', { destination: during })).statusCode, 202)
    assert.equal((await post('validate', { destination: during, otp: await codeFor(during) })).statusCode, 200)
    const readiness = await s.otp.app.inject({ method: 'GET', url: '/readyz' })
    assert.equal(readiness.statusCode, 200, 'degraded, still in the load balancer')
    assert.equal(readiness.json().status, 'degraded')

    s.proxy.restore()
    await waitFor(async () => (await post('generate', { destination: uniquePhone() })).statusCode === 202 && (await ready()).status === 'ok', 15_000, 200)
  })
})
