/**
 * The deployment files' PostgreSQL connections add up: every pool of every
 * instance, full, with the extra pod a rolling update starts, fits in
 * DB_CONNECTION_BUDGET and in PostgreSQL's default max_connections.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
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

function kubernetes (): Instance[] {
  const text = deployFile('kubernetes/gatehouse.yaml')
  const shared = mapAfter(text, /^data:$/, 2)
  return text.split(/^---$/m).filter(doc => /^kind: Deployment$/m.test(doc)).map(doc => {
    const service = /^ {2}name: (\S+)$/m.exec(doc)![1]!
    const replicas = Number(/^ {2}replicas: (\d+)$/m.exec(doc)![1])
    const env: Env = { ...shared }
    for (const [, key, value] of doc.matchAll(/- \{ name: ([A-Z0-9_]+), value: "?([^"}]*?)"? \}/g)) env[key!] = value!
    // The default RollingUpdate strategy starts maxSurge (25%, rounded up) new pods before old ones stop.
    return { service, replicas, running: replicas + Math.ceil(replicas / 4), env }
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
  it('kubernetes/gatehouse.yaml: replicas, rolling-update surge included, times pool sizes fit', () => {
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
