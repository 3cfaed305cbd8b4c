import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { Type } from '@sinclair/typebox'
import { openTestBackends, startTestService, uniqueName } from '@app/kit/testing'
import type { TestBackends } from '@app/kit/testing'
import { defineService, SERVICE_PORTS, serviceUrlVariable } from '@app/kit/service'
import type { ServiceName } from '@app/kit/service'
import { gatewayService } from '../src/service.ts'

/** A user-service stand-in on the real kit server: it counts the registrations each instance took. */
function countingService (taken: string[]) {
  return defineService({
    name: 'user',
    description: 'counts registrations',
    configSchema: Type.Object({}),
    stateless: true,
    async setup (app) {
      app.post('/api/v1/users/register', async (request, reply) => {
        taken.push((request.body as { id: string }).id)
        return reply.code(201).send({ ok: true })
      })
      // A public GET (the gateway asks a bearer token for /me).
      app.get('/api/v1/users/email-change/undo', async () => ({ ok: true }))
    }
  })
}

describe('a graceful restart of an instance behind the gateway', () => {
  let backends: TestBackends
  before(async () => { backends = await openTestBackends() })
  after(() => backends.cleanup())

  it('fails no request while one of two instances drains and closes under load', async (t) => {
    const takenA: string[] = []
    const takenB: string[] = []
    const a = await startTestService(countingService(takenA), {}, backends)
    const b = await startTestService(countingService(takenB), {}, backends)
    t.after(() => a.cleanup())
    const others = Object.fromEntries((Object.keys(SERVICE_PORTS) as ServiceName[])
      .filter(s => s !== 'gateway').map(s => [serviceUrlVariable(s), a.url]))
    const gateway = await startTestService(gatewayService, {
      ...others,
      USER_SERVICE_URL: `${a.url},${b.url}`,
      CACHE_PREFIX: `${uniqueName('gw')}:`,
      GATEWAY_DOCS_ENABLED: 'false',
      GATEWAY_RATE_LIMIT_PER_MINUTE: '100000',
      GATEWAY_SENSITIVE_RATE_LIMIT_PER_MINUTE: '100000',
      GATEWAY_RATE_LIMITS: 'group.account=off'
    }, backends)
    t.after(() => gateway.cleanup())

    const failures: string[] = []
    const answered: string[] = []
    const load = { stopping: false }
    let n = 0
    const client = async () => {
      while (!load.stopping) {
        const id = String(n++)
        const post = n % 2 === 0
        const res = await fetch(`${gateway.url}/api/v1/users/${post ? 'register' : 'email-change/undo'}`, post
          ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id }) }
          : {})
        if (res.status >= 300) failures.push(`${id}: ${res.status} ${await res.text()}`)
        else { await res.body?.cancel(); if (post) answered.push(id) }
      }
    }
    const clients = Promise.all([client(), client(), client(), client()])

    const waitFor = async (condition: () => boolean) => { while (!condition()) await new Promise(resolve => setTimeout(resolve, 10)) }
    await waitFor(() => takenB.length >= 10)
    // What SIGTERM does: out of readiness while serving, then stop accepting and finish in-flight work.
    // Longer than the 5 s keep-alive idle timeout, as SHUTDOWN_DRAIN_MS is: no idle connection is left to race a request.
    await b.drain(5500)
    const closed = b.close()
    await closed
    const takenBefore = answered.length
    await waitFor(() => answered.length >= takenBefore + 20)
    load.stopping = true
    await clients

    assert.deepEqual(failures, [])
    assert.ok(takenB.length >= 10)
    assert.deepEqual([...takenA, ...takenB].sort(), [...answered].sort(), 'every acknowledged registration was taken exactly once')
  })
})
