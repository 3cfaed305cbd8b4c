// The fault suite (`npm run test:faults`, CI): separate processes on the real servers,
// backends behind TCP proxies that are cut and restored, instances killed and restarted,
// under a steady client load through the gateway. Not part of `npm test`: it needs the
// real servers and takes several minutes.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createBuyer, register } from './accounts.ts'
import { accountsThatCannotLogIn, missingOrders } from './acknowledged-writes.ts'
import { startBackendProxies } from './backend-proxies.ts'
import type { BackendProxies } from './backend-proxies.ts'
import { createCluster } from './cluster.ts'
import type { Cluster, Layout } from './cluster.ts'
import { checkConfirmations } from './confirmations.ts'
import type { ConfirmationReport } from './confirmations.ts'
import { evidence } from './evidence.ts'
import { createGatewayClient } from './gateway-client.ts'
import { startLoad } from './load.ts'
import type { Buyer, Load } from './load.ts'
import { phaseTable, statsOf } from './phases.ts'
import type { Phase } from './phases.ts'
import { createRequestLog } from './request-log.ts'
import { createRevocationProbe } from './revocation-probe.ts'
import type { RevocationProbe } from './revocation-probe.ts'
import { createScenario } from './scenario.ts'
import { startSmtpSink } from './smtp-sink-process.ts'
import type { SmtpSink } from './smtp-sink-process.ts'

const REAL_SERVERS = Boolean(process.env.DATABASE_URL && process.env.REDIS_URL && process.env.AMQP_URL)
const LAYOUT: Layout = { user: 2, auth: 2, otp: 2, order: 2, password: 1, 'email-verification': 1, notification: 1, audit: 1, gateway: 1 }
// The second instances start once the first ones migrated and auth-1 created the signing key.
const FIRST = ['user-1', 'auth-1', 'otp-1', 'order-1', 'password', 'email-verification', 'notification', 'audit']
const SECOND = ['user-2', 'auth-2', 'otp-2', 'order-2']
const ROLLING = ['user-1', 'user-2', 'auth-1', 'auth-2', 'otp-1', 'otp-2', 'order-1', 'order-2']
const VIRTUAL_USERS = 8
const REQUESTS_PER_SECOND = 25
const RECOVERY_LIMIT_MS = 10_000
const say = (line: string) => process.stdout.write(`# faults: ${line}\n`)

if (!REAL_SERVERS && process.env.CI === 'true') {
  it('the fault suite runs on the real servers', () => {
    assert.fail('CI=true but DATABASE_URL, REDIS_URL and AMQP_URL are not all set: the fault suite cannot run')
  })
}

describe('the platform under faults: backend outages, killed and restarted instances', { skip: !REAL_SERVERS && 'needs DATABASE_URL, REDIS_URL and AMQP_URL' }, () => {
  const log = createRequestLog()
  const run = {} as {
    sink: SmtpSink
    backends: BackendProxies
    cluster: Cluster
    buyers: Buyer[]
    load: Load
    revocation: RevocationProbe
    phases: Phase[]
    missingOrders: string[]
    cannotLogIn: string[]
    confirmations: ConfirmationReport
  }
  const phase = (prefix: string) => run.phases.find(p => p.name.startsWith(prefix))!

  before(async () => {
    run.sink = await startSmtpSink()
    run.backends = await startBackendProxies()
    run.cluster = await createCluster(LAYOUT, { ...run.backends.env, DB_POOL_SIZE: '4' }, {
      gateway: {
        GATEWAY_RATE_LIMIT_PER_MINUTE: '1000000',
        GATEWAY_SENSITIVE_RATE_LIMIT_PER_MINUTE: '1000000',
        GATEWAY_USER_RATE_LIMIT_PER_MINUTE: '1000000'
      },
      // One client sends codes to a run of numbers: the SMS-pumping defences would rightly refuse it.
      otp: { OTP_MAX_SENDS_PER_IP_HOUR: '100000', OTP_MAX_SENDS_PER_MINUTE: '1000000', OTP_FRAUD_PREFIX_MAX_SENDS: '1000000', OTP_FRAUD_IP_MAX_DESTINATIONS: '100000', OTP_FRAUD_CONVERSION_MIN_SENDS: '1000000' },
      notification: {
        NOTIFY_SMTP_URL: run.sink.url,
        NOTIFY_SMTP_FROM: 'Gatehouse <no-reply@example.com>',
        NOTIFY_EMAIL_PROVIDER: 'smtp',
        // Codes by SMS are not what this suite counts; they stay in the notification service.
        NOTIFY_SMS_PROVIDER: 'inbox',
        NOTIFY_DEV_INBOX: 'on'
      }
    })
    const { cluster } = run
    const started = Date.now()
    await Promise.all(FIRST.map(tag => cluster.start(tag, { lastGeneration: !ROLLING.includes(tag) })))
    await Promise.all(SECOND.map(tag => cluster.start(tag)))
    await cluster.start('gateway')
    say(`${cluster.tags().length} processes ready in ${((Date.now() - started) / 1000).toFixed(1)} s`)

    const setup = createGatewayClient(cluster.url('gateway'))
    run.buyers = []
    for (let i = 0; i < VIRTUAL_USERS; i++) run.buyers.push(await createBuyer(setup, cluster.url('user-1')))
    run.revocation = createRevocationProbe(setup, await register(setup, 'revocation'))

    const client = createGatewayClient(cluster.url('gateway'), log)
    run.load = startLoad({ client, buyers: run.buyers, requestsPerSecond: REQUESTS_PER_SECOND })
    const scenario = createScenario({ cluster, backends: run.backends, log, client, revocation: run.revocation, say })
    run.phases = []
    run.phases.push(await scenario.baseline())
    run.phases.push(await scenario.cut('postgres', 'PostgreSQL cut 15 s'))
    run.phases.push(await scenario.cut('redis', 'Redis cut 15 s'))
    run.phases.push(await scenario.cut('rabbitmq', 'RabbitMQ cut 15 s'))
    run.phases.push(await scenario.kill(['user-1', 'auth-1']))
    run.phases.push(await scenario.rollingRestart(ROLLING))
    await run.load.stop()

    say('checking acknowledged writes and confirmations...')
    const orders = [...run.load.orders.values()]
    run.missingOrders = await missingOrders(setup, orders, run.buyers)
    run.cannotLogIn = await accountsThatCannotLogIn(setup, run.load.registered)
    run.confirmations = await checkConfirmations(run.sink.mails, orders.map(o => o.id), process.env.DATABASE_URL!, cluster.prefix)
    say(`${orders.length} orders, ${run.load.registered.length} registrations, ${run.sink.mails.length} mails at the SMTP server`)
    say(`revocation probe: ${[...run.revocation.notes, ...run.revocation.problems].join('; ')}`)
    say(`\n${phaseTable(log, run.phases)}`)
  }, { timeout: 20 * 60_000 })

  after(async () => {
    await run.load?.stop()
    // Cut short: the faults that did run, for the report.
    if (run.phases?.length && !run.confirmations) say(`\n${phaseTable(log, run.phases)}`)
    if (run.cluster) {
      const dir = join(tmpdir(), run.cluster.prefix)
      mkdirSync(dir, { recursive: true })
      log.save(join(dir, 'requests.jsonl'))
      run.cluster.output.save(join(dir, 'services.log'))
      if (run.phases) writeFileSync(join(dir, 'phases.json'), JSON.stringify(run.phases, null, 2))
      if (run.confirmations) writeFileSync(join(dir, 'confirmations.json'), JSON.stringify(run.confirmations, null, 2))
      say(`request log and service output: ${dir}`)
      await run.cluster.stop(process.env.DATABASE_URL!, process.env.REDIS_URL!)
    }
    await run.backends?.close()
    await run.sink?.stop()
  })

  it('no process exits unless the test stopped it', () => {
    const crashes = run.cluster.exits.filter(e => !e.caused)
    const report = crashes.map(e => `${e.tag} exited ${e.code ?? e.signal} at ${new Date(e.at).toISOString()}:\n${run.cluster.output.tail(10, e.tag).join('\n')}`)
    const sinkCrash = run.sink.crashed()
    assert.deepEqual([...report, ...(sinkCrash ? [sinkCrash] : [])], [])
  })

  it('the load works before any fault', () => {
    const baseline = phase('baseline')
    const stats = statsOf(log, baseline)
    assert.equal(stats.failed.length, 0, evidence(baseline, stats, run.cluster.output))
  })

  for (const backend of ['PostgreSQL', 'Redis', 'RabbitMQ']) {
    it(`while ${backend} is away, requests that need it answer 503 problem+json with Retry-After, and the others work`, () => {
      const cut = phase(backend)
      const stats = statsOf(log, cut)
      assert.equal(stats.failed.length, 0, evidence(cut, stats, run.cluster.output))
    })

    it(`every flow works again within ${RECOVERY_LIMIT_MS / 1000} s of ${backend}'s return`, () => {
      const cut = phase(backend)
      const stats = statsOf(log, cut)
      assert.deepEqual(stats.unrecovered, [], `flows with no success since ${backend} returned`)
      assert.ok((stats.recoveryMs ?? 0) <= RECOVERY_LIMIT_MS, `recovery took ${stats.recoveryMs} ms (affected: ${stats.affected.join(', ')})`)
    })
  }

  it('a Redis outage leaves every instance ready (/readyz 200, degraded at most)', () => {
    const unready = Object.entries(phase('Redis').readiness ?? {}).filter(([, status]) => status !== 200)
    assert.deepEqual(Object.fromEntries(unready), {})
  })

  it('a SIGKILLed instance fails at most the requests in flight at the kill', () => {
    const kill = phase('SIGKILL')
    const stats = statsOf(log, kill)
    assert.ok(stats.failed.length <= kill.failureBudget, evidence(kill, stats, run.cluster.output))
  })

  it('a rolling restart (SIGTERM, one instance at a time) fails no request, and each instance shuts down cleanly', () => {
    const rolling = phase('rolling')
    const stats = statsOf(log, rolling)
    const unclean = run.cluster.exits.filter(e => e.stoppedWith === 'SIGTERM' && e.code !== 0)
      .map(e => `${e.tag} exited ${e.code ?? e.signal} ${e.stopMs} ms after SIGTERM`)
    assert.deepEqual(unclean, [])
    assert.equal(stats.failed.length, 0, evidence(rolling, stats, run.cluster.output))
  })

  it('no acknowledged write is lost: every order answered 201 exists, every registration answered 201 can log in', () => {
    assert.ok(run.load.orders.size > 0 && run.load.registered.length > 0, 'the load acknowledged orders and registrations')
    assert.deepEqual(run.missingOrders.slice(0, 20), [], `${run.missingOrders.length} acknowledged orders missing`)
    assert.deepEqual(run.cannotLogIn.slice(0, 20), [], `${run.cannotLogIn.length} registered accounts cannot log in`)
  })

  it('every order confirmation reaches the SMTP server exactly once', () => {
    const { missing, duplicated, diagnostics } = run.confirmations
    assert.deepEqual({ missing: missing.length, duplicated: duplicated.slice(0, 20) }, { missing: 0, duplicated: [] },
      `of ${run.load.orders.size} acknowledged orders: ${missing.length} never confirmed (e.g. ${missing.slice(0, 3).join(', ')}), ${duplicated.length} confirmed more than once\n${diagnostics.join('\n')}`)
  })

  it('revocations hold through a Redis outage', () => {
    assert.deepEqual(run.revocation.problems, [], run.revocation.notes.join('; '))
  })
})
