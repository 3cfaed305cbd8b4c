import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { usePlatform } from './helper.ts'

const ADMIN = { email: 'health-admin@example.com', password: 'health admin correct horse' }
const SERVICES = ['audit', 'auth', 'email-verification', 'gateway', 'notification', 'order', 'otp', 'password', 'user']

interface ServiceHealth {
  name: string
  status: string
  checks: Record<string, string>
  instances: Array<{ status: string, error: string | null }>
  metrics: { requests: number, errors: number, outboxBacklog: number | null, deadLetters: number | null, deliveries: { sent: number } | null } | null
}

describe('the admin health view on the whole platform (GET /api/v1/admin/health)', () => {
  const gw = usePlatform({ ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password })
  let token = ''
  const health = async () => {
    if (!token) token = (await gw.json('POST', '/api/v1/auth/login', ADMIN)).body.accessToken
    const res = await gw.json('GET', '/api/v1/admin/health', undefined, { authorization: `Bearer ${token}` })
    assert.equal(res.status, 200, JSON.stringify(res.body))
    return { ...res.body as { status: string, services: ServiceHealth[] }, of: (name: string) => (res.body.services as ServiceHealth[]).find(s => s.name === name)! }
  }

  it('shows every service ready, with its checks and numbers read from its metrics', async () => {
    const register = await gw.json('POST', '/api/v1/users/register', { email: `health.${Date.now()}@example.com`, password: 'a long enough password 1' })
    assert.equal(register.status, 201)
    const res = await health()
    assert.deepEqual(res.services.map(s => s.name).sort(), SERVICES)
    assert.deepEqual(res.services.filter(s => s.status !== 'ok').map(s => [s.name, s.status, s.checks]), [], 'all ready')
    assert.equal(res.status, 'ok')
    assert.equal(res.of('user').checks.database ?? res.of('user').checks.db ?? 'ok', 'ok')
    assert.ok(Object.keys(res.of('user').checks).length > 0, 'the user service reports its checks')
    assert.ok(res.of('user').metrics!.requests >= 1, 'the registration was counted')
    assert.equal(typeof res.of('user').metrics!.outboxBacklog, 'number', 'a stateful service reports its outbox')
    assert.equal(res.of('gateway').metrics!.outboxBacklog, null)
    assert.ok(res.of('notification').metrics!.deliveries, 'the notification service reports its deliveries')
  })

  it('shows a stopped service as down while the others still answer', async () => {
    await gw.platform.services.get('order')!.close()
    const res = await health()
    assert.equal(res.of('order').status, 'down')
    assert.deepEqual(res.of('order').instances.map(i => [i.status, i.error]), [['down', 'unreachable']])
    assert.equal(res.of('order').metrics, null)
    assert.equal(res.status, 'down')
    for (const name of SERVICES.filter(s => s !== 'order' && s !== 'gateway')) assert.equal(res.of(name).status, 'ok', name)
    assert.ok(res.of('user').metrics!.requests >= 1)
  })

  it('refuses a user who is no admin', async () => {
    const email = `health.user.${Date.now()}@example.com`
    await gw.json('POST', '/api/v1/users/register', { email, password: 'a long enough password 1' })
    const login = await gw.json('POST', '/api/v1/auth/login', { email, password: 'a long enough password 1' })
    const res = await gw.json('GET', '/api/v1/admin/health', undefined, { authorization: `Bearer ${login.body.accessToken}` })
    assert.deepEqual([res.status, res.body.code], [403, 'forbidden'])
  })
})
