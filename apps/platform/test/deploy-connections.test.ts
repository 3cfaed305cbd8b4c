/**
 * The deployment files' PostgreSQL connections add up: every pool of every
 * instance, full, at the autoscaler's maximum with the extra pods a rolling
 * update starts, fits in DB_CONNECTION_BUDGET and in PostgreSQL's default
 * max_connections (the chart's own check is in test/deploy).
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { parseAllDocuments } from 'yaml'
import { fileURLToPath } from 'node:url'
import { BaseConfigSchema, loadConfig } from '@app/kit/config'
import type { Env } from '@app/kit/config'
import { servicePoolSize } from '@app/kit/service'
import { loadServices } from '../src/services.ts'

const SERVICES = await loadServices()

// PostgreSQL's defaults: max_connections 100, of which superuser_reserved_connections 3.
const USABLE = 100 - 3
const deployFile = (path: string) => readFileSync(fileURLToPath(new URL(`../../../deploy/${path}`, import.meta.url)), 'utf8')

interface Instance { service: string, replicas: number, running: number, env: Env }

/** `KEY: value` lines indented by `indent` spaces right after the line matching `start`. */
function mapAfter (text: string, start: RegExp, indent: number): Env {
  const lines = text.split('\n')
  const from = lines.findIndex(line => start.test(line))
  assert.ok(from >= 0, `no ${start} in the file`)
  const env: Env = {}
  for (const line of lines.slice(from + 1)) {
    const match = new RegExp(`^ {${indent}}([A-Z0-9_]+): "?([^"]*)"?$`).exec(line)
    if (match) env[match[1]!] = match[2]!
    else if (!line.trim().startsWith('#')) break
  }
  return env
}

/** `{ KEY: value, ... }` of a flow mapping, `<<` merges left out. */
function flowMap (text: string): Env {
  return Object.fromEntries(text.replace(/^\{|\}$/g, '').split(',').map(pair => pair.split(':').map(s => s.trim().replace(/^"|"$/g, '')))
    .filter(([key]) => key && key !== '<<')) as Env
}

/** The Deployments of the generated manifest at full scale: the autoscaler's maximum plus the rolling-update surge. */
function kubernetes (): Instance[] {
  const objects = parseAllDocuments(deployFile('kubernetes/gatehouse.yaml')).map(doc => doc.toJS()).filter(Boolean)
  const configMaps = new Map(objects.filter(o => o.kind === 'ConfigMap').map(o => [o.metadata.name, o.data as Env]))
  const autoscalers = objects.filter(o => o.kind === 'HorizontalPodAutoscaler')
  return objects.filter(o => o.kind === 'Deployment' && o.metadata.labels['app.kubernetes.io/part-of'] === 'gatehouse').map(d => {
    const [container] = d.spec.template.spec.containers
    const env: Env = {}
    for (const from of container.envFrom ?? []) Object.assign(env, configMaps.get(from.configMapRef.name))
    for (const { name, value } of container.env) if (value !== undefined) env[name] = value
    const hpa = autoscalers.find(h => h.spec.scaleTargetRef.name === d.metadata.name)
    const replicas: number = hpa?.spec.maxReplicas ?? d.spec.replicas ?? 1
    const surge = String(d.spec.strategy?.rollingUpdate?.maxSurge ?? '25%')
    const extra = surge.endsWith('%') ? Math.ceil(replicas * parseInt(surge) / 100) : Number(surge)
    return { service: env.SERVICE!, replicas, running: replicas + extra, env }
  })
}

function compose (): Instance[] {
  const text = deployFile('docker-compose.yml')
  const shared = mapAfter(text, /environment: &env$/, 4)
  return [...text.matchAll(/^ {4}environment: (\{ <<: \*env,[^\n]*\})$/gm)].map(([, flow]) => {
    const env = { ...shared, ...flowMap(flow!) }
    // `docker compose up` stops a container before it starts its replacement.
    return { service: env.SERVICE!, replicas: 1, running: 1, env }
  })
}

function check (instances: Instance[]): number {
  const stateful = new Set(SERVICES.filter(s => !s.stateless).map(s => s.name as string))
  assert.deepEqual(instances.map(i => i.service).filter(s => stateful.has(s)).sort(), [...stateful].sort(), 'every stateful service is deployed')
  let total = 0
  let budget = Infinity
  for (const { service, running, env } of instances) {
    if (!stateful.has(service)) continue
    const config = loadConfig(BaseConfigSchema, env)
    budget = Math.min(budget, config.DB_CONNECTION_BUDGET)
    if (config.DB_POOL_SIZE === undefined) {
      assert.ok(config.SERVICE_INSTANCES >= running, `${service}: SERVICE_INSTANCES ${config.SERVICE_INSTANCES} but up to ${running} pods run at once`)
    }
    total += running * servicePoolSize(service, config)
  }
  assert.ok(total <= budget, `${total} connections exceed DB_CONNECTION_BUDGET ${budget}`)
  assert.ok(total <= USABLE, `${total} connections exceed PostgreSQL's default ${USABLE} usable (raise max_connections or put PgBouncer in front)`)
  return total
}

describe('PostgreSQL connections of the deployment files', () => {
  it('kubernetes/gatehouse.yaml (from the chart): autoscaler maximum, rolling-update surge included, times pool sizes fit', () => {
    const instances = kubernetes()
    assert.ok(instances.length >= 9, `found ${instances.length} Deployments`)
    check(instances)
  })

  it('docker-compose.yml: one container per service, pool sizes fit', () => {
    const instances = compose()
    assert.ok(instances.length >= 9, `found ${instances.length} services`)
    check(instances)
  })
})
