// Gatehouse as separate processes (one per service, compiled, as `npm run start:services`),
// spawned with the launcher's own spawnService on free ports. They need Redis and RabbitMQ.
import type { ChildProcess } from 'node:child_process'
import { serviceUrlVariable } from '@app/kit/service'
import type { ServiceName } from '@app/kit/service'
import { spawnService, stopChildren } from '../../apps/platform/src/separate.ts'
import { SERVICE_NAMES } from '../../apps/platform/src/services.ts'
import { freePort } from '../free-port.ts'
import type { StartedGatehouse } from './all-in-one.ts'
import type { GatehouseDb } from './gatehouse-db.ts'
import { gatehouseFlows } from './gatehouse-flows.ts'

async function ready (url: string, child: ChildProcess, name: string): Promise<void> {
  for (let waited = 0; waited < 180_000; waited += 250) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${name} exited while starting (${child.exitCode ?? child.signalCode})`)
    if (await fetch(`${url}/readyz`).then(r => r.ok, () => false)) return
    await new Promise(resolve => setTimeout(resolve, 250))
  }
  throw new Error(`${name} was not ready within 180 s`)
}

export async function startSeparate (baseEnv: Record<string, string>, openDb: () => Promise<GatehouseDb>, prefix: string, log: (line: string) => void): Promise<StartedGatehouse> {
  const names = [...SERVICE_NAMES]
  const ports = new Map<ServiceName, number>()
  for (const name of names) ports.set(name, await freePort())
  const env: Record<string, string> = { ...baseEnv, REQUIRE_EXTERNAL_BACKENDS: 'true', BUS_EPHEMERAL: 'true' }
  for (const name of names) env[serviceUrlVariable(name)] = `http://127.0.0.1:${ports.get(name)}`
  const children = new Map<ServiceName, ChildProcess>()
  for (const name of names) children.set(name, spawnService(name, { ...env, PORT: String(ports.get(name)) }, `separate ${name.padEnd(18)}| `, log))
  const stop = () => stopChildren([...children.values()])
  try {
    await Promise.all(names.map(name => ready(env[serviceUrlVariable(name)]!, children.get(name)!, name)))
  } catch (err) {
    await stop()
    throw err
  }
  const db = await openDb()
  const gatewayUrl = env[serviceUrlVariable('gateway')]!
  const { flows, buyerToken, buyerEmail } = await gatehouseFlows({ gatewayUrl, userUrl: env[serviceUrlVariable('user')]!, db, prefix, serviceSecret: env.SERVICE_SECRET! })
  const processes = () => names.map(name => ({ name, pid: children.get(name)!.pid! }))
  return {
    key: 'separate',
    gatewayUrl,
    title: 'Gatehouse separate processes',
    flows,
    buyerToken,
    buyerEmail,
    db,
    backends: 'PostgreSQL; Redis cache; RabbitMQ bus',
    processes,
    drain: () => db.drain(),
    stop: async () => {
      await db.close()
      await stop()
    }
  }
}
