/**
 * The Helm chart renders, for its defaults and for the production example,
 * into objects the Kubernetes schemas accept, with what issue 15 asks of each
 * service: probes, autoscaler, disruption budget, spread, hardened pods, the
 * dev inbox off, TLS at the Ingress, and monitoring objects.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { SERVICE_PORTS, serviceUrlVariable } from '@app/kit/service'
import type { ServiceName } from '@app/kit/service'
import { CHART_DIR, MODELS, VARIANTS, component, matches, ofKind, podTemplates, render } from './chart.ts'
import type { Any } from './chart.ts'

const SERVICES = Object.keys(SERVICE_PORTS).sort()

for (const { name, options } of VARIANTS) {
  describe(`chart rendered with ${name}`, () => {
    const chart = render(options)
    const deployments = ofKind(chart, 'Deployment').filter(d => SERVICES.includes(component(d.metadata.labels)))

    it('validates every object against the Kubernetes (and Prometheus operator) schemas', () => {
      assert.ok(chart.objects.length > 40, `${chart.objects.length} objects`)
      for (const { source, object } of chart.objects) {
        const Model = MODELS[`${object.apiVersion}/${object.kind}`]
        assert.ok(Model, `${source}: no schema for ${object.apiVersion} ${object.kind}`)
        assert.doesNotThrow(() => new Model(object as never).validate(), `${source}: ${object.kind} ${object.metadata.name}`)
      }
      const names = chart.objects.map(o => `${o.object.kind}/${o.object.metadata.name}`)
      assert.deepEqual(names.filter((n, i) => names.indexOf(n) !== i), [], 'no two objects of a kind share a name')
    })

    it('deploys each of the nine services from one pinned image, never :latest', () => {
      assert.deepEqual(deployments.map(d => component(d.metadata.labels)).sort(), SERVICES)
      for (const d of deployments) {
        const [container] = d.spec.template.spec.containers
        assert.equal(container.env.find((e: Any) => e.name === 'SERVICE').value, component(d.metadata.labels))
        assert.doesNotMatch(container.image, /:latest$|^[^:@]+$/, `${d.metadata.name}: ${container.image}`)
      }
      if (name.includes('production')) {
        for (const d of deployments) assert.match(d.spec.template.spec.containers[0].image, /@sha256:[0-9a-f]{64}$/)
      }
    })

    it('gives every service startup, readiness and liveness probes on /healthz and /readyz', () => {
      for (const d of deployments) {
        const c = d.spec.template.spec.containers[0]
        assert.equal(c.startupProbe?.httpGet?.path, '/healthz', d.metadata.name)
        assert.equal(c.readinessProbe?.httpGet?.path, '/readyz', d.metadata.name)
        assert.equal(c.livenessProbe?.httpGet?.path, '/healthz', d.metadata.name)
        // Migrations and waiting for the database (STARTUP_BACKEND_WAIT_MS, 60 s) fit in the startup window.
        assert.ok(c.startupProbe.periodSeconds * c.startupProbe.failureThreshold >= 90, `${d.metadata.name}: startup window`)
      }
    })

    it('runs every pod non-root, read-only, without capabilities, with seccomp and no service account token', () => {
      for (const { workload, spec } of podTemplates(chart)) {
        assert.equal(spec.automountServiceAccountToken, false, workload)
        assert.equal(spec.securityContext.runAsNonRoot, true, workload)
        assert.equal(spec.securityContext.seccompProfile.type, 'RuntimeDefault', workload)
        for (const c of spec.containers) {
          assert.equal(c.securityContext.readOnlyRootFilesystem, true, `${workload}/${c.name}`)
          assert.equal(c.securityContext.allowPrivilegeEscalation, false, `${workload}/${c.name}`)
          assert.deepEqual(c.securityContext.capabilities.drop, ['ALL'], `${workload}/${c.name}`)
          assert.ok(c.resources?.requests?.memory && c.resources?.limits?.memory, `${workload}/${c.name}: memory request and limit`)
        }
      }
    })

    it('scales every service with an autoscaler, a disruption budget and a spread over zones and nodes', () => {
      const hpas = ofKind(chart, 'HorizontalPodAutoscaler')
      const pdbs = ofKind(chart, 'PodDisruptionBudget')
      for (const d of deployments) {
        const hpa = hpas.find(h => h.spec.scaleTargetRef.name === d.metadata.name)
        assert.ok(hpa, `${d.metadata.name}: autoscaler`)
        assert.equal(d.spec.replicas, undefined, `${d.metadata.name}: replicas left to the autoscaler`)
        assert.ok(hpa.spec.maxReplicas >= hpa.spec.minReplicas && hpa.spec.minReplicas >= 2, `${d.metadata.name}: at least two pods`)
        assert.ok(pdbs.some(p => matches(p.spec.selector.matchLabels, d.spec.template.metadata.labels)), `${d.metadata.name}: disruption budget`)
        const keys = d.spec.template.spec.topologySpreadConstraints.map((c: Any) => c.topologyKey)
        assert.deepEqual(keys, ['topology.kubernetes.io/zone', 'kubernetes.io/hostname'])
        for (const c of d.spec.template.spec.topologySpreadConstraints) assert.ok(matches(c.labelSelector.matchLabels, d.spec.template.metadata.labels))
      }
    })

    it('migrates before install and upgrade in a hook Job running the migrate command', () => {
      const [job] = ofKind(chart, 'Job')
      assert.equal(job.metadata.annotations['helm.sh/hook'], 'pre-install,pre-upgrade')
      assert.deepEqual(job.spec.template.spec.containers[0].command.slice(-2), ['apps/platform/dist/main.js', 'migrate'])
      assert.ok(job.spec.template.spec.containers[0].env.some((e: Any) => e.name === 'DATABASE_URL' && e.valueFrom.secretKeyRef))
    })

    it('switches the dev inbox off and never turns it back on for a service', () => {
      const [config] = ofKind(chart, 'ConfigMap')
      assert.equal(config.data.NOTIFY_DEV_INBOX, 'off')
      assert.equal(config.data.NODE_ENV, 'production')
      for (const d of deployments) assert.ok(!d.spec.template.spec.containers[0].env.some((e: Any) => e.name === 'NOTIFY_DEV_INBOX'))
    })
  })
}

describe('production example: edge and monitoring', () => {
  const chart = render(VARIANTS[1]!.options)

  it('serves the gateway through an Ingress with TLS from cert-manager', () => {
    const [ingress] = ofKind(chart, 'Ingress')
    assert.ok(ingress.metadata.annotations['cert-manager.io/cluster-issuer'])
    assert.deepEqual(ingress.spec.tls[0].hosts, [ingress.spec.rules[0].host])
    const backend = ingress.spec.rules[0].http.paths[0].backend.service.name
    const service = ofKind(chart, 'Service').find(s => s.metadata.name === backend)
    assert.equal(component(service.spec.selector), 'gateway')
  })

  it('scrapes every service /metrics, the gateway on its operations port only', () => {
    const services = ofKind(chart, 'Service')
    const scraped = ofKind(chart, 'ServiceMonitor').flatMap(m => services
      .filter(s => matches(m.spec.selector.matchLabels, s.metadata.labels))
      .map(s => {
        const port = s.spec.ports.find((p: Any) => p.name === m.spec.endpoints[0].port)
        assert.ok(port, `${s.metadata.name} has port ${m.spec.endpoints[0].port}`)
        assert.equal(m.spec.endpoints[0].path, '/metrics')
        return `${component(s.spec.selector)}:${port.port}`
      })).sort()
    const expected = Object.entries(SERVICE_PORTS).map(([svc, port]) => `${svc}:${svc === 'gateway' ? 9090 : port}`).sort()
    assert.deepEqual(scraped, expected)
  })

  it('ships the Grafana dashboard as a ConfigMap for the Grafana sidecar', () => {
    const map = ofKind(chart, 'ConfigMap').find(c => c.metadata.labels.grafana_dashboard === '1')
    assert.ok(map, 'a ConfigMap labelled for the sidecar')
    const dashboard = JSON.parse(readFileSync(new URL('../../deploy/grafana/gatehouse.json', import.meta.url), 'utf8'))
    assert.deepEqual(JSON.parse(map.data['gatehouse.json']), dashboard)
  })

  it('embeds the alert rules file as the PrometheusRule spec', () => {
    const [rule] = ofKind(chart, 'PrometheusRule')
    const file = parse(readFileSync(`${CHART_DIR}/files/prometheus-rules.yaml`, 'utf8'))
    assert.deepEqual(rule.spec, file)
  })
})

describe('options off the defaults', () => {
  const chart = render({
    values: {
      grpc: { enabled: true, from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'tools' } } }] },
      services: { audit: { autoscaling: { enabled: false }, replicas: 1 }, gateway: { dnsDiscovery: true } },
      networkPolicy: { enabled: false }
    }
  })

  it('still validates, with gRPC ports on auth and otp and a fixed replica count without an autoscaler', () => {
    for (const { object } of chart.objects) new MODELS[`${object.apiVersion}/${object.kind}`]!(object as never).validate()
    for (const svc of ['auth', 'otp']) {
      const service = ofKind(chart, 'Service').find(s => s.metadata.name === `gatehouse-${svc}`)
      assert.ok(service.spec.ports.some((p: Any) => p.name === 'grpc' && p.appProtocol === 'kubernetes.io/h2c'), svc)
      const env = ofKind(chart, 'Deployment').find(d => d.metadata.name === `gatehouse-${svc}`).spec.template.spec.containers[0].env
      assert.ok(env.some((e: Any) => e.name === 'GRPC_PORT'), `${svc}: GRPC_PORT`)
    }
    const audit = ofKind(chart, 'Deployment').find(d => d.metadata.name === 'gatehouse-audit')
    assert.equal(audit.spec.replicas, 1)
    assert.ok(!ofKind(chart, 'HorizontalPodAutoscaler').some(h => h.spec.scaleTargetRef.name === 'gatehouse-audit'))
    assert.equal(ofKind(chart, 'NetworkPolicy').length, 0)
  })

  it('lets the gateway find every pod through headless Services when dnsDiscovery is on', () => {
    const gatewayEnv = ofKind(chart, 'Deployment').find(d => d.metadata.name === 'gatehouse-gateway').spec.template.spec.containers[0].env
    for (const [svc, port] of Object.entries(SERVICE_PORTS).filter(([svc]) => svc !== 'gateway')) {
      const headless = ofKind(chart, 'Service').find(s => s.metadata.name === `gatehouse-${svc}-headless`)
      assert.equal(headless?.spec.clusterIP, 'None', svc)
      const url = gatewayEnv.find((e: Any) => e.name === serviceUrlVariable(svc as ServiceName)).value
      assert.equal(url, `dns://gatehouse-${svc}-headless.gatehouse.svc.cluster.local:${port}`)
    }
  })
})
