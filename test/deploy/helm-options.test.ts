/**
 * What the chart's values set and open: SERVICE_VERSION from the image, the
 * sign-in return addresses (AUTH_REDIRECT_ALLOWLIST) and identity providers,
 * magic links, passkeys and tracing; and the NetworkPolicy rules that follow
 * them (gRPC callers, Twilio only with SMS, the trace collector), with the
 * production example restricting the gateway's and the metrics' callers.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import type { Env } from '@app/kit/config'
import { loadServiceConfig } from '@app/kit/service'
import type { ServiceName } from '@app/kit/service'
import { loadService } from '../../apps/platform/src/services.ts'
import { createRedirectAllowlist } from '../../services/auth/src/redirect-allowlist.ts'
import { parseOidcProviders } from '../../services/auth/src/oidc/providers-config.ts'
import { CHART_DIR, MODELS, PRODUCTION_VALUES, ofKind, render } from './chart.ts'
import type { Any } from './chart.ts'
import { containerEnv } from './container-env.ts'
import type { RenderOptions, RenderedChart } from '../../scripts/helm/render-chart.ts'

const APP_VERSION = String((parse(readFileSync(`${CHART_DIR}/Chart.yaml`, 'utf8')) as { appVersion: unknown }).appVersion)
const SERVICES: ServiceName[] = ['gateway', 'user', 'auth', 'password', 'otp', 'email-verification', 'notification', 'audit', 'order']

const configMap = (chart: RenderedChart): Record<string, string> => ofKind(chart, 'ConfigMap').find(c => c.metadata.name === 'gatehouse').data
const container = (chart: RenderedChart, service: string): Any =>
  ofKind(chart, 'Deployment').find(d => d.metadata.name === `gatehouse-${service}`).spec.template.spec.containers[0]
const policy = (chart: RenderedChart, service: string): Any => ofKind(chart, 'NetworkPolicy').find(p => p.metadata.name === `gatehouse-${service}`)
const egressPorts = (p: Any): unknown[] => (p.spec.egress ?? []).flatMap((r: Any) => r.ports.map((port: Any) => port.port))

function validates (chart: RenderedChart): void {
  for (const { source, object } of chart.objects) {
    assert.doesNotThrow(() => new MODELS[`${object.apiVersion}/${object.kind}`]!(object as never).validate(), `${source}: ${object.kind} ${object.metadata.name}`)
  }
}

const GOOGLE = { id: 'google', issuer: 'https://accounts.google.com', clientId: 'gatehouse.apps.example', clientSecretEnv: 'AUTH_OIDC_GOOGLE_SECRET' }
const withGoogle = (values: Record<string, unknown> = {}): RenderOptions => ({
  values: {
    ...values,
    auth: { oidc: { providers: [GOOGLE] }, ...(values.auth as object) },
    services: { auth: { secretEnv: [{ name: 'AUTH_OIDC_GOOGLE_SECRET', secret: 'gatehouse-oidc', key: 'GOOGLE_CLIENT_SECRET' }] } }
  }
})

describe('SERVICE_VERSION', () => {
  it('is the chart\'s appVersion by default, and every service loads it instead of "dev"', async () => {
    const chart = render()
    assert.equal(configMap(chart).SERVICE_VERSION, APP_VERSION)
    for (const service of SERVICES) {
      const config = loadServiceConfig(await loadService(service), containerEnv(chart, container(chart, service)))
      assert.equal(config.SERVICE_VERSION, APP_VERSION, service)
    }
  })

  it('is the image tag when there is one, also next to a digest; the appVersion with a digest alone', () => {
    const digest = `sha256:${'a'.repeat(64)}`
    assert.equal(configMap(render({ values: { image: { tag: '1.4.2' } } })).SERVICE_VERSION, '1.4.2')
    assert.equal(configMap(render({ values: { image: { tag: '1.4.2', digest } } })).SERVICE_VERSION, '1.4.2')
    const pinned = render({ values: { image: { tag: '', digest } } })
    assert.equal(configMap(pinned).SERVICE_VERSION, APP_VERSION)
    assert.match(container(pinned, 'user').image, /@sha256:a{64}$/)
    assert.equal(configMap(render({ valuesFiles: [PRODUCTION_VALUES] })).SERVICE_VERSION, '0.1.0')
  })
})

describe('sign-in return addresses (AUTH_REDIRECT_ALLOWLIST)', () => {
  it('defaults to the origin of publicUrl, so the hosted pages and identity providers can return there', () => {
    const allowlist = configMap(render()).AUTH_REDIRECT_ALLOWLIST!
    assert.equal(allowlist, 'https://auth.example.com/')
    const allowed = createRedirectAllowlist(allowlist)
    assert.ok(allowed.allows('https://auth.example.com/app/signed-in?x=1'))
    assert.ok(!allowed.allows('https://evil.example/'))
    const elsewhere = configMap(render({ values: { publicUrl: 'https://id.example.org:8443/gatehouse/' } }))
    assert.equal(elsewhere.AUTH_REDIRECT_ALLOWLIST, 'https://id.example.org:8443/')
  })

  it('takes the listed URLs, and an explicit empty list for none', () => {
    const listed = configMap(render({ values: { auth: { redirectAllowlist: ['https://app.example.com/auth', 'https://admin.example.com/'] } } }))
    assert.equal(listed.AUTH_REDIRECT_ALLOWLIST, 'https://app.example.com/auth,https://admin.example.com/')
    assert.equal(configMap(render({ values: { auth: { redirectAllowlist: [] } } })).AUTH_REDIRECT_ALLOWLIST, '')
  })

  it('fails rendering, saying why, when identity providers are set and the list is empty', () => {
    assert.throws(() => render(withGoogle({ auth: { redirectAllowlist: [] } })),
      /auth\.oidc\.providers is set but auth\.redirectAllowlist is empty: every identity-provider sign-in .* would answer 400/)
    assert.doesNotThrow(() => render(withGoogle()))
  })

  it('fails rendering on an entry the auth service would refuse at start-up', () => {
    assert.throws(() => render({ values: { auth: { redirectAllowlist: ['app.example.com'] } } }), /auth\.redirectAllowlist: app\.example\.com is not an absolute http\(s\) URL/)
    assert.throws(() => render({ values: { auth: { redirectAllowlist: ['https://app.example.com/?next=1'] } } }), /must have no query, fragment or comma/)
    assert.throws(() => render({ values: { auth: { redirectAllowlist: 'https://app.example.com/' } } }), /auth\.redirectAllowlist must be a list/)
  })

  it('refuses config.<VARIABLE> for a variable the chart sets itself, naming the value to use', () => {
    assert.throws(() => render({ values: { config: { AUTH_REDIRECT_ALLOWLIST: 'https://app.example.com/' } } }),
      /config\.AUTH_REDIRECT_ALLOWLIST: the chart sets AUTH_REDIRECT_ALLOWLIST itself; set auth\.redirectAllowlist instead/)
    assert.throws(() => render({ values: { config: { SERVICE_VERSION: '9' } } }), /set image\.tag instead/)
    assert.throws(() => render({ values: { config: { AUTH_OIDC_PROVIDERS: '[]' } } }), /set auth\.oidc\.providers instead/)
  })
})

describe('identity providers, magic links and passkeys', () => {
  it('gives the auth service the providers as JSON, their secrets from secretEnv, and HTTPS out to them', () => {
    const chart = render(withGoogle())
    validates(chart)
    const auth = container(chart, 'auth')
    const env: Env = containerEnv(chart, auth, { GOOGLE_CLIENT_SECRET: 'google-client-secret' })
    const [google] = parseOidcProviders(env.AUTH_OIDC_PROVIDERS!, env)
    assert.equal(google?.id, 'google')
    assert.equal(google?.clientSecret, 'google-client-secret')
    assert.equal(env.AUTH_OIDC_CALLBACK_URL, 'https://auth.example.com/api/v1/auth/oidc/{provider}/callback')
    assert.ok(createRedirectAllowlist(env.AUTH_REDIRECT_ALLOWLIST!).allows('https://auth.example.com/signed-in'))
    assert.ok(egressPorts(policy(chart, 'auth')).includes(443), 'auth: HTTPS out to the providers')
    assert.ok(!egressPorts(policy(render(), 'auth')).includes(443), 'auth: no HTTPS out without providers')
    assert.equal(configMap(render()).AUTH_OIDC_PROVIDERS, undefined)
  })

  it('fails rendering on a client secret inline, or one no secretEnv sets', () => {
    assert.throws(() => render({ values: { auth: { oidc: { providers: [{ id: 'google', issuer: 'https://accounts.google.com', clientId: 'x', clientSecret: 'leaked' }] } } } }),
      /provider google has an inline clientSecret, which would be stored in the ConfigMap/)
    assert.throws(() => render({ values: { auth: { oidc: { providers: [GOOGLE] } } } }),
      /provider google reads its client secret from AUTH_OIDC_GOOGLE_SECRET, which services\.auth\.secretEnv does not set/)
  })

  it('sets the magic-link page and sign-up, and the passkey domain and origins, from publicUrl or their values', async () => {
    const defaults = configMap(render())
    assert.equal(defaults.AUTH_MAGIC_LINK_URL, 'https://auth.example.com/api/v1/auth/magic-link/verify')
    assert.equal(defaults.AUTH_MAGIC_LINK_SIGNUP, undefined)
    assert.equal(defaults.AUTH_WEBAUTHN_RP_ID, 'auth.example.com')
    assert.equal(defaults.AUTH_WEBAUTHN_ORIGINS, 'https://auth.example.com')
    const chart = render({
      values: {
        auth: {
          magicLink: { url: 'https://app.example.com/magic', signup: true },
          webauthn: { rpId: 'example.com', origins: ['https://auth.example.com', 'https://app.example.com'] }
        }
      }
    })
    const data = configMap(chart)
    assert.equal(data.AUTH_MAGIC_LINK_URL, 'https://app.example.com/magic')
    assert.equal(data.AUTH_MAGIC_LINK_SIGNUP, 'true')
    assert.equal(data.AUTH_WEBAUTHN_RP_ID, 'example.com')
    assert.equal(data.AUTH_WEBAUTHN_ORIGINS, 'https://auth.example.com,https://app.example.com')
    const config = loadServiceConfig(await loadService('auth'), containerEnv(chart, container(chart, 'auth'))) as Record<string, unknown>
    assert.equal(config.AUTH_MAGIC_LINK_SIGNUP, true)
  })
})

describe('tracing', () => {
  const headers = { name: 'gatehouse-otel', key: 'OTEL_EXPORTER_OTLP_HEADERS' }

  it('is off by default: no endpoint, no collector rule', () => {
    const chart = render()
    assert.equal(configMap(chart).OTEL_EXPORTER_OTLP_ENDPOINT, undefined)
    for (const service of SERVICES) assert.ok(!egressPorts(policy(chart, service)).includes(4318), service)
  })

  it('sends every service\'s spans to tracing.endpoint, headers from a Secret, and lets them out to the collector', async () => {
    const collector = [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'observability' } }, podSelector: { matchLabels: { app: 'otel' } } }]
    const chart = render({
      values: {
        tracing: { endpoint: 'http://otel.observability.svc.cluster.local:4318', sampleRatio: 0.25 },
        secrets: { OTEL_EXPORTER_OTLP_HEADERS: headers },
        networkPolicy: { otlp: { to: collector } }
      }
    })
    validates(chart)
    for (const service of SERVICES) {
      const env = containerEnv(chart, container(chart, service), { OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=secret' })
      const config = loadServiceConfig(await loadService(service), env)
      assert.equal(config.OTEL_EXPORTER_OTLP_ENDPOINT, 'http://otel.observability.svc.cluster.local:4318', service)
      assert.equal(config.OTEL_EXPORTER_OTLP_HEADERS, 'x-api-key=secret', service)
      assert.equal(config.OTEL_TRACES_SAMPLER_ARG, 0.25, service)
      const rule = policy(chart, service).spec.egress.find((r: Any) => r.ports.some((p: Any) => p.port === 4318))
      assert.ok(rule, `${service}: egress to the collector`)
      assert.deepEqual(rule.to, collector, service)
    }
  })

  it('takes the collector\'s port from the endpoint (443 or 80 without one), or networkPolicy.otlp.port', () => {
    const port = (values: Record<string, unknown>) => {
      const rule = policy(render({ values }), 'user').spec.egress.at(-1)
      return rule.ports[0].port
    }
    assert.equal(port({ tracing: { endpoint: 'https://otlp.vendor.example' } }), 443)
    assert.equal(port({ tracing: { endpoint: 'http://collector' } }), 80)
    assert.equal(port({ tracing: { endpoint: 'http://10.0.0.5:55681' } }), 55681)
    assert.equal(port({ tracing: { endpoint: 'http://collector:4318' }, networkPolicy: { otlp: { port: 4317 } } }), 4317)
  })
})

describe('NetworkPolicy rules that follow the options', () => {
  it('fails rendering when gRPC is on with no callers named (an empty from admits everyone)', () => {
    assert.throws(() => render({ values: { grpc: { enabled: true } } }), /grpc\.enabled needs grpc\.from: with an empty from, the NetworkPolicy rule would admit every source/)
    // Without NetworkPolicies there is no rule to leave open.
    assert.doesNotThrow(() => render({ values: { grpc: { enabled: true }, networkPolicy: { enabled: false } } }))
  })

  it('admits to the gRPC ports exactly grpc.from', () => {
    const from = [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'tools' } } }]
    const chart = render({ values: { grpc: { enabled: true, from } } })
    validates(chart)
    for (const service of ['auth', 'otp']) {
      const rules = policy(chart, service).spec.ingress.filter((r: Any) => r.ports.some((p: Any) => p.port === 'grpc'))
      assert.equal(rules.length, 1, service)
      assert.deepEqual(rules[0].from, from, service)
    }
  })

  it('lets the notification service out to Twilio only when SMS is on', () => {
    const emailOnly = render()
    assert.equal(configMap(emailOnly).SMS_ENABLED, 'false')
    assert.ok(!egressPorts(policy(emailOnly, 'notification')).includes(443))
    const sms = render({
      values: {
        secrets: {
          NOTIFY_TWILIO_ACCOUNT_SID: { name: 'gatehouse-twilio', key: 'NOTIFY_TWILIO_ACCOUNT_SID' },
          NOTIFY_TWILIO_AUTH_TOKEN: { name: 'gatehouse-twilio', key: 'NOTIFY_TWILIO_AUTH_TOKEN' }
        },
        notification: { twilioFrom: '+14155550100' }
      }
    })
    assert.equal(configMap(sms).SMS_ENABLED, 'true')
    assert.ok(egressPorts(policy(sms, 'notification')).includes(443))
    for (const service of SERVICES.filter(s => s !== 'notification')) assert.ok(!egressPorts(policy(sms, service)).includes(443), service)
  })

  it('restricts in the production example the gateway to the ingress controller\'s pods and /metrics to Prometheus\'s', () => {
    const chart = render({ valuesFiles: [PRODUCTION_VALUES] })
    const gateway = policy(chart, 'gateway')
    const publicRule = gateway.spec.ingress.find((r: Any) => r.ports.some((p: Any) => p.port === 'http'))
    assert.ok(publicRule.from?.length > 0, 'the gateway\'s port is not open to anyone')
    for (const peer of publicRule.from) assert.ok(peer.namespaceSelector?.matchLabels && peer.podSelector?.matchLabels, 'a namespace and its controller pods')
    // No rule admits a whole namespace: metricsFrom (every service's port, the gateway's ops port) names Prometheus's pods.
    for (const p of ofKind(chart, 'NetworkPolicy')) {
      for (const peer of (p.spec.ingress ?? []).flatMap((r: Any) => r.from ?? []).filter((peer: Any) => peer.namespaceSelector)) {
        assert.ok(peer.podSelector?.matchLabels, `${p.metadata.name}: a namespace peer names its pods`)
      }
    }
    for (const service of SERVICES) {
      const metricsPort = service === 'gateway' ? 'ops' : 'http'
      const metrics = policy(chart, service).spec.ingress.filter((r: Any) => r !== publicRule && r.ports.some((p: Any) => p.port === metricsPort) &&
        r.from.some((peer: Any) => peer.namespaceSelector))
      assert.equal(metrics.length, 1, `${service}: one metrics rule`)
      assert.ok(metrics[0].from.every((peer: Any) => peer.podSelector?.matchLabels), `${service}: metrics from Prometheus's pods only`)
    }
  })

  it('documents in the chart README what metricsFrom and ingressFrom open', () => {
    const readme = readFileSync(`${CHART_DIR}/README.md`, 'utf8')
    const section = readme.slice(readme.indexOf('### Who reaches the pods'))
    assert.ok(section.length > 0 && readme.includes('### Who reaches the pods'))
    assert.match(section, /`networkPolicy\.metricsFrom`[^]*\/internal[^]*service credential/)
    assert.match(section, /`networkPolicy\.ingressFrom`[^]*X-Forwarded-For[^]*private addresses/)
  })
})
