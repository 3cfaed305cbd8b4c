/**
 * The nine services start in production mode from exactly the environment the
 * chart gives their containers (its ConfigMap, env and Secret keys; only the
 * backend URLs, listen addresses and run prefixes are this test's), and work
 * together: a user registers, signs in and reads their profile through the
 * gateway, the dev inbox is off, and the gateway's metrics are on its ops port.
 * Embedded backends by default, the real servers when their URLs are set.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { createLogger } from '@app/kit/log'
import type { Env } from '@app/kit/config'
import { SERVICE_PORTS, serviceUrlVariable, startService } from '@app/kit/service'
import type { RunningService, ServiceName } from '@app/kit/service'
import { freePort, openTestBackends, removeProcessRun, uniqueName } from '@app/kit/testing'
import type { TestBackends } from '@app/kit/testing'
import { SERVICE_NAMES, loadService } from '../../apps/platform/src/services.ts'
import { component, podTemplates, render } from './chart.ts'
import { containerEnv } from './container-env.ts'

const { DATABASE_URL, REDIS_URL, AMQP_URL } = process.env
const realServers = Boolean(DATABASE_URL && REDIS_URL && AMQP_URL)

describe('the services started from the chart\'s environment', () => {
  const chart = render()
  const running: RunningService[] = []
  const prefix = uniqueName('helm')
  let backends: TestBackends
  let gateway: string
  let opsPort: number

  before(async () => {
    backends = await openTestBackends()
    const ports = Object.fromEntries(await Promise.all(SERVICE_NAMES.map(async s => [s, await freePort()] as const))) as Record<ServiceName, number>
    opsPort = await freePort()
    const ours: Env = {
      // This test's backends and addresses; everything else is the chart's.
      DATABASE_URL,
      REDIS_URL,
      AMQP_URL,
      REQUIRE_EXTERNAL_BACKENDS: realServers ? 'true' : 'false',
      DB_SCHEMA_PREFIX: `${prefix}_`,
      CACHE_PREFIX: `${prefix}:`,
      BUS_PREFIX: `${prefix}.`,
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      // Registration hashes one password: the production argon2id cost is kept.
      ...Object.fromEntries(SERVICE_NAMES.map(s => [serviceUrlVariable(s), `http://127.0.0.1:${ports[s]}`]))
    }
    const pods = podTemplates(chart)
    for (const service of SERVICE_NAMES) {
      const pod = pods.find(p => p.kind === 'Deployment' && component(p.labels) === service)!
      const env: Env = { ...containerEnv(chart, pod.spec.containers[0]), ...ours }
      if (service === 'gateway') Object.assign(env, { GATEWAY_OPS_PORT: String(opsPort), GATEWAY_OPS_HOST: '127.0.0.1' })
      assert.equal(env.NODE_ENV, 'production')
      assert.equal(env.PORT, String(SERVICE_PORTS[service]), `${service}: the chart's port`)
      running.push(await startService(await loadService(service), {
        env,
        port: ports[service],
        shared: { ...(backends.cluster ? { cluster: backends.cluster } : {}), cache: backends.cache.cache, bus: backends.bus.bus },
        log: createLogger('silent'),
        deferRelay: true
      }))
    }
    for (const service of running) service.startRelay()
    gateway = `http://127.0.0.1:${ports.gateway}`
  })

  after(async () => {
    for (const service of running.reverse()) await service.close().catch(() => {})
    await backends?.cleanup()
    if (realServers) await removeProcessRun(prefix, SERVICE_NAMES, DATABASE_URL!, REDIS_URL!)
  })

  it('starts every service ready', async () => {
    assert.equal(running.length, 9)
    for (const service of running) {
      const res = await fetch(`${service.url}/readyz`)
      assert.equal(res.status, 200, `${service.ctx.name}: ${await res.text()}`)
    }
  })

  it('registers, signs in and reads the profile through the gateway (keyrings and service addresses as the chart sets them)', async () => {
    const email = `helm.${randomBytes(4).toString('hex')}@example.com`
    const password = 'correct horse battery staple'
    const post = (path: string, body: unknown) => fetch(`${gateway}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
    const registered = await post('/api/v1/users/register', { email, password, name: 'Helm' })
    assert.equal(registered.status, 201, await registered.clone().text())
    const login = await post('/api/v1/auth/login', { email, password })
    assert.equal(login.status, 200, await login.clone().text())
    const { accessToken } = await login.json() as { accessToken: string }
    const me = await fetch(`${gateway}/api/v1/users/me`, { headers: { authorization: `Bearer ${accessToken}` } })
    assert.equal(me.status, 200)
    assert.equal((await me.json() as { email: string }).email, email)
  })

  it('keeps the dev inbox off and the gateway\'s metrics on its operations port only', async () => {
    assert.equal((await fetch(`${gateway}/dev/inbox`)).status, 404)
    const notification = running.find(s => s.ctx.name === 'notification')!
    assert.equal((await fetch(`${notification.url}/dev/inbox`)).status, 404)
    assert.equal((await fetch(`${gateway}/metrics`)).status, 404)
    const metrics = await fetch(`http://127.0.0.1:${opsPort}/metrics`)
    assert.equal(metrics.status, 200)
    assert.match(await metrics.text(), /^# HELP /m)
  })
})
