/**
 * Cross-references of the rendered chart: Services and NetworkPolicies select
 * pods that exist, the policies admit exactly the callers the code has, every
 * service's configuration loads from what the chart gives it, every Secret key
 * is documented, and the PostgreSQL connections add up.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { BaseConfigSchema } from '@app/kit/config'
import type { Env } from '@app/kit/config'
import { MIN_POOL_SIZE } from '@app/kit/db'
import { SERVICE_PORTS, loadServiceConfig, serviceUrlVariable } from '@app/kit/service'
import type { ServiceName } from '@app/kit/service'
import { loadService } from '../../apps/platform/src/services.ts'
import { selectProviders } from '../../services/notification/src/providers/select-providers.ts'
import { keyEncryptionKey } from '../../services/auth/src/key-encryption.ts'
import { CHART_DIR, VARIANTS, component, matches, ofKind, podTemplates, render } from './chart.ts'
import type { Any, Labels } from './chart.ts'
import { containerEnv } from './container-env.ts'

const SERVICES = Object.keys(SERVICE_PORTS) as ServiceName[]
const root = fileURLToPath(new URL('../..', import.meta.url))

/** caller -> callees, from the code: every ctx.client('<name>') (or .client('<name>')) call in a service's sources. */
function callsInCode (): Map<string, Set<string>> {
  const calls = new Map<string, Set<string>>()
  for (const service of SERVICES) {
    const callees = new Set<string>()
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name)
        if (entry.isDirectory()) walk(path)
        else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
          for (const [, callee] of readFileSync(path, 'utf8').matchAll(/\.client\(\s*'([a-z-]+)'\s*\)/g)) callees.add(callee!)
        }
      }
    }
    walk(join(root, 'services', service, 'src'))
    calls.set(service, callees)
  }
  // The gateway forwards the public routes to every service (one upstream pool per service).
  calls.set('gateway', new Set(SERVICES.filter(s => s !== 'gateway')))
  return calls
}

for (const { name, options } of VARIANTS) {
  describe(`references in the chart rendered with ${name}`, () => {
    const chart = render(options)
    const pods = podTemplates(chart)
    const services = pods.filter(p => p.kind === 'Deployment' && (SERVICES as string[]).includes(component(p.labels)))

    it('has every Service select the pods of one Deployment and target a port they have', () => {
      for (const service of ofKind(chart, 'Service')) {
        const selected = pods.filter(p => p.kind === 'Deployment' && matches(service.spec.selector, p.labels))
        assert.equal(selected.length, 1, `${service.metadata.name} selects ${selected.length} Deployments`)
        const ports = selected[0]!.spec.containers.flatMap((c: Any) => c.ports.map((p: Any) => p.name))
        for (const port of service.spec.ports) assert.ok(ports.includes(port.targetPort), `${service.metadata.name}: targetPort ${port.targetPort}`)
      }
    })

    it('has every NetworkPolicy and each of its pod peers name pods that exist', () => {
      for (const policy of ofKind(chart, 'NetworkPolicy')) {
        assert.ok(pods.some(p => matches(policy.spec.podSelector.matchLabels, p.labels)), `${policy.metadata.name} selects no pod`)
        const peers = [...(policy.spec.ingress ?? []).flatMap((r: Any) => r.from ?? []), ...(policy.spec.egress ?? []).flatMap((r: Any) => r.to ?? [])]
        for (const peer of peers.filter((p: Any) => p.podSelector && !p.namespaceSelector)) {
          assert.ok(pods.some(p => matches(peer.podSelector.matchLabels, p.labels)), `${policy.metadata.name}: a peer selects no pod`)
        }
      }
    })

    it('admits to each service only its callers in the code, and lets each caller out to them', () => {
      const policies = ofKind(chart, 'NetworkPolicy')
      const policyOf = (labels: Labels) => policies.find(p => p.spec.podSelector.matchLabels['app.kubernetes.io/component'] === component(labels))
      const calls = callsInCode()
      for (const pod of services) {
        const me = component(pod.labels)
        const policy = policyOf(pod.labels)
        assert.ok(policy, `${me}: a policy of its own`)
        const admitted = (policy.spec.ingress ?? [])
          .filter((r: Any) => r.ports.some((p: Any) => p.port === 'http'))
          .flatMap((r: Any) => (r.from ?? []).filter((peer: Any) => peer.podSelector && !peer.namespaceSelector).map((peer: Any) => component(peer.podSelector.matchLabels)))
        const callers = [...calls].filter(([, callees]) => callees.has(me)).map(([caller]) => caller)
        if (me === 'gateway') assert.deepEqual(admitted, [], 'the gateway is public, not reached by other services')
        else assert.deepEqual([...admitted].sort(), callers.sort(), `${me}: admitted callers`)
        const egressTo = (policy.spec.egress ?? []).flatMap((r: Any) => (r.to ?? []).filter((peer: Any) => peer.podSelector && !peer.namespaceSelector)
          .map((peer: Any) => component(peer.podSelector.matchLabels)))
          .filter((c: string) => (SERVICES as string[]).includes(c))
        assert.deepEqual(egressTo.sort(), [...calls.get(me)!].sort(), `${me}: egress to the services it calls`)
        const providerPorts = (policy.spec.egress ?? []).flatMap((r: Any) => r.ports.map((p: Any) => p.port))
        const smsOn = ofKind(chart, 'ConfigMap')[0].data.SMS_ENABLED === 'true'
        assert.equal(providerPorts.includes(443), me === 'notification' && smsOn, `${me}: HTTPS out only for the Twilio API, and only with SMS on`)
      }
    })

    it('gives every service a configuration that loads in production, every provider and key included', async () => {
      const setByChart = new Set<string>()
      for (const pod of services) {
        const service = component(pod.labels) as ServiceName
        const env: Env = containerEnv(chart, pod.spec.containers[0])
        for (const key of Object.keys(env)) setByChart.add(key)
        const definition = await loadService(service)
        const config = loadServiceConfig(definition, env)
        assert.equal(config.NODE_ENV, 'production')
        assert.equal(config.PORT, SERVICE_PORTS[service])
        // SIGTERM: drain, then finish in-flight work, all before the kubelet's SIGKILL.
        const graceMs = pod.spec.terminationGracePeriodSeconds * 1000
        assert.ok(config.SHUTDOWN_DRAIN_MS + config.SHUTDOWN_TIMEOUT_MS < graceMs, `${service}: drain and shutdown fit in ${graceMs} ms`)
        if (service === 'notification') assert.doesNotThrow(() => selectProviders(config as never))
        if (service === 'auth') assert.ok(keyEncryptionKey(config as never), 'auth: AUTH_KEY_ENCRYPTION_KEY')
        for (const callee of SERVICES) assert.match(env[serviceUrlVariable(callee)] ?? '', /^http:\/\/[a-z-]+:\d+$/)
        // A default made for a laptop (a link to 127.0.0.1:8080, a listener on loopback) is replaced in the cluster.
        const properties = { ...BaseConfigSchema.properties, ...definition.configSchema.properties } as Record<string, { default?: unknown }>
        for (const [key, property] of Object.entries(properties)) {
          if (typeof property.default === 'string' && /127\.0\.0\.1|localhost/.test(property.default)) {
            assert.ok(env[key] && !/127\.0\.0\.1|localhost/.test(env[key]!), `${service}: ${key} is set for the cluster (default ${property.default})`)
          }
        }
      }
      // A misspelt variable is set for nobody: every variable the chart sets is one some service reads.
      const known = new Set<string>(['SERVICE', ...Object.keys(BaseConfigSchema.properties), ...SERVICES.map(serviceUrlVariable)])
      for (const service of SERVICES) for (const key of Object.keys((await loadService(service)).configSchema.properties)) known.add(key)
      assert.deepEqual([...setByChart].filter(key => !known.has(key)), [])
    })

    it('documents in the chart README every Secret key the chart reads', () => {
      const readme = readFileSync(`${CHART_DIR}/README.md`, 'utf8')
      const refs = pods.flatMap(p => p.spec.containers.flatMap((c: Any) => (c.env ?? []).filter((e: Any) => e.valueFrom?.secretKeyRef)))
      assert.ok(refs.length > 0)
      for (const { valueFrom: { secretKeyRef: { key } } } of refs) assert.ok(readme.includes(`\`${key}\``), `README.md names the Secret key \`${key}\``)
    })

    it('keeps the PostgreSQL connections of every pod at full scale within the server limit', () => {
      const values = chart.values as Any
      const maxPods = (deployment: string) => {
        const hpa = ofKind(chart, 'HorizontalPodAutoscaler').find(h => h.spec.scaleTargetRef.name === deployment)
        return hpa.spec.maxReplicas + Math.ceil(hpa.spec.maxReplicas / 4)
      }
      let clients = 2
      for (const pod of services.filter(p => component(p.labels) !== 'gateway')) {
        const pool = Number(pod.spec.containers[0].env.find((e: Any) => e.name === 'DB_POOL_SIZE').value)
        assert.ok(pool >= MIN_POOL_SIZE, `${pod.workload}: pool ${pool}`)
        clients += pool * maxPods(pod.workload)
      }
      const usable = values.postgres.maxConnections - values.postgres.reservedConnections
      if (values.pgbouncer.enabled) {
        assert.ok(clients <= values.pgbouncer.maxClientConnections, `${clients} client connections`)
        assert.ok(values.pgbouncer.replicas * values.pgbouncer.defaultPoolSize + 2 <= usable)
        for (const pod of services.filter(p => component(p.labels) !== 'gateway')) {
          assert.ok(pod.spec.containers[0].env.some((e: Any) => e.name === 'DB_PGBOUNCER' && e.value === 'true'), pod.workload)
        }
      } else assert.ok(clients <= usable, `${clients} connections, ${usable} usable`)
    })
  })
}

describe('the connection check', () => {
  it('fails rendering, naming what to change, when the pools at full scale exceed the server', () => {
    assert.throws(() => render({ values: { serviceDefaults: { autoscaling: { maxReplicas: 8 } } } }),
      /may open \d+ PostgreSQL connections .* over postgres\.maxConnections - postgres\.reservedConnections = 87: lower services\.<name>\.dbPoolSize or autoscaling\.maxReplicas, raise postgres\.maxConnections, or enable pgbouncer/)
  })

  it('renders the same scale once the server allows it, or behind PgBouncer', () => {
    const scale = { serviceDefaults: { autoscaling: { maxReplicas: 8 } } }
    assert.doesNotThrow(() => render({ values: { ...scale, postgres: { maxConnections: 300 } } }))
    assert.doesNotThrow(() => render({ values: { ...scale, pgbouncer: { enabled: true } } }))
  })

  it('fails when PgBouncer\'s own pools exceed the server', () => {
    assert.throws(() => render({ values: { pgbouncer: { enabled: true, replicas: 3, defaultPoolSize: 40 } } }), /PgBouncer may open 122 connections to PostgreSQL/)
  })
})
