/**
 * deploy/docker-compose.yml read as Compose reads it (YAML with merge keys; no
 * Docker here): every service runs the image's compiled command, is checked by
 * the image's health check script, and has its logs shipped by the optional
 * `logs` profile (Loki, Grafana Alloy, Grafana), whose configuration files exist
 * and agree with each other.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import { SERVICE_PORTS } from '@app/kit/service'
import { SERVICE_NAMES } from '../src/services.ts'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const COMPOSE = `${ROOT}deploy/docker-compose.yml`
const composeDir = dirname(COMPOSE)

interface Service {
  image?: string
  build?: { context: string, dockerfile?: string }
  command?: unknown
  entrypoint?: unknown
  environment?: Record<string, string>
  healthcheck?: { test: string[] }
  labels?: Record<string, string>
  profiles?: string[]
  volumes?: string[]
  ports?: string[]
}

const compose = parse(readFileSync(COMPOSE, 'utf8'), { merge: true }) as { services: Record<string, Service>, volumes: Record<string, unknown> }
const services = compose.services
const platform = Object.entries(services).filter(([, s]) => s.environment?.SERVICE)
const logsProfile = Object.entries(services).filter(([, s]) => s.profiles?.includes('logs'))
const read = (path: string) => readFileSync(resolve(composeDir, path), 'utf8')

/** `./compose/x:/in/container[:ro]` -> the host file, relative to the compose file. */
const mounts = (s: Service) => (s.volumes ?? []).map(v => v.split(':')).filter(([host]) => host!.startsWith('.')).map(([host, target]) => ({ host: host!, target: target! }))

describe('docker-compose.yml', () => {
  it('runs all nine services, each on its documented port', () => {
    assert.deepEqual(platform.map(([, s]) => s.environment!.SERVICE).sort(), [...SERVICE_NAMES].sort())
    for (const [name, s] of platform) {
      assert.equal(s.environment!.SERVICE, name)
      assert.equal(Number(s.environment!.PORT), SERVICE_PORTS[name as keyof typeof SERVICE_PORTS], name)
    }
  })

  it('builds the image from the repository\'s Dockerfile and runs its compiled command unchanged', () => {
    for (const [name, s] of platform) {
      assert.ok(s.build, `${name} builds the image`)
      const context = resolve(composeDir, s.build.context)
      assert.equal(context, ROOT.replace(/\/$/, ''), `${name}: the repository is the build context`)
      assert.ok(existsSync(resolve(context, s.build.dockerfile ?? 'Dockerfile')))
      assert.equal(s.image, 'gatehouse')
      assert.equal(s.command, undefined, `${name} keeps the image's CMD (node --conditions=gatehouse-dist apps/platform/dist/main.js)`)
      assert.equal(s.entrypoint, undefined)
    }
  })

  it('checks each container with the image\'s health check script, asking for readiness', () => {
    for (const [name, s] of platform) {
      assert.deepEqual(s.healthcheck?.test, ['CMD', 'node', 'apps/platform/dist/healthcheck.js', '/readyz'], name)
    }
    assert.ok(existsSync(`${ROOT}apps/platform/src/healthcheck.ts`))
  })

  it('keeps the log pipeline optional: Loki, Alloy and Grafana only in the `logs` profile, nothing else in a profile', () => {
    assert.deepEqual(logsProfile.map(([name]) => name).sort(), ['alloy', 'grafana', 'loki'])
    for (const [name, s] of Object.entries(services)) {
      if (!logsProfile.some(([n]) => n === name)) assert.equal(s.profiles, undefined, `${name} starts without --profile`)
    }
    for (const [name, s] of logsProfile) {
      assert.match(s.image ?? '', /^grafana\/[a-z]+:v?\d+\.\d+\.\d+$/, `${name}: a pinned version, not latest`)
      for (const { host } of mounts(s)) assert.ok(existsSync(resolve(composeDir, host)), `${name} mounts ${host}, which exists`)
    }
    assert.ok(services.grafana!.ports!.every(p => p.startsWith('127.0.0.1:')), 'the anonymous Grafana is published on loopback only')
  })

  it('ships exactly the containers of the platform: Alloy selects them by their label', () => {
    const alloy = read(mounts(services.alloy!).find(m => m.target.endsWith('.alloy'))!.host)
    const filter = /filter\s*\{\s*name\s*=\s*"label"\s*values\s*=\s*\["([^"=]+)=([^"]+)"\]/.exec(alloy)
    assert.ok(filter, 'a label filter in discovery.docker')
    for (const [name, s] of platform) assert.equal(s.labels?.[filter[1]!], filter[2], `${name} carries ${filter[1]}=${filter[2]}`)
    for (const [name, s] of logsProfile) assert.equal(s.labels?.[filter[1]!], undefined, `${name}'s own logs are not shipped`)
    assert.ok(services.alloy!.volumes!.includes('/var/run/docker.sock:/var/run/docker.sock:ro'), 'reads the Docker socket, read-only')
  })

  it('parses the log fields of every line, labels only the low-cardinality ones, and pushes to this Loki', () => {
    const alloy = read(mounts(services.alloy!).find(m => m.target.endsWith('.alloy'))!.host)
    const block = (stage: string) => {
      const match = new RegExp(`${stage}\\s*\\{[^}]*?(?:expressions|values)\\s*=\\s*\\{([^}]*)\\}`).exec(alloy)
      assert.ok(match, `a ${stage} stage`)
      return [...match[1]!.matchAll(/(\w+)\s*=/g)].map(m => m[1]).sort()
    }
    // The fields every line has, and those inside a request or consumer (docs: log fields).
    assert.deepEqual(block('stage.json'), ['level', 'requestId', 'service', 'spanId', 'time', 'traceId', 'version'])
    assert.deepEqual(block('stage.labels'), ['level', 'service'])
    assert.deepEqual(block('stage.structured_metadata'), ['requestId', 'spanId', 'traceId', 'version'])

    const loki = parse(read(mounts(services.loki!).find(m => m.target.endsWith('.yaml'))!.host))
    const push = /url\s*=\s*"http:\/\/([a-z]+):(\d+)\/loki\/api\/v1\/push"/.exec(alloy)
    assert.ok(push)
    assert.deepEqual([push[1], Number(push[2])], ['loki', loki.server.http_listen_port])
    assert.equal(loki.limits_config.allow_structured_metadata, true)
    assert.ok(loki.schema_config.configs.every((c: { schema: string }) => c.schema === 'v13'), 'structured metadata needs schema v13')
    const datasources = parse(read(mounts(services.grafana!).find(m => m.target.includes('provisioning/datasources'))!.host))
    assert.equal(datasources.datasources[0].url, `http://loki:${loki.server.http_listen_port}`)
  })
})
