import { createServer } from 'node:http'
import type { ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * A real upstream instance on its own address and port: it answers every
 * request with its URL, `GET /readyz` with `readyz`, and while `holding` it
 * keeps requests open until `release()` (a slow instance the test controls).
 */
export async function startInstance (options: { host?: string, port?: number } = {}) {
  const held: ServerResponse[] = []
  const state = {
    readyz: 200,
    holding: false,
    /** Requests received, readiness probes aside. */
    arrived: 0,
    /** Readiness probes received, with the status each was answered. */
    probes: [] as number[]
  }
  const server = createServer((req, res) => {
    if (req.url === '/readyz') {
      state.probes.push(state.readyz)
      res.writeHead(state.readyz, { 'content-type': 'application/json' }).end('{}')
      return
    }
    state.arrived++
    req.resume()
    req.on('end', () => {
      if (state.holding) held.push(res)
      else answer(res)
    })
  })
  const host = options.host ?? '127.0.0.1'
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(options.port ?? 0, host, resolve))
  const port = (server.address() as AddressInfo).port
  const url = `http://${host}:${port}`
  const answer = (res: ServerResponse) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ instance: url }))
  return Object.assign(state, {
    url,
    host,
    port,
    /** Answers every held request and stops holding. */
    release () {
      state.holding = false
      for (const res of held.splice(0)) answer(res)
    },
    close: () => new Promise<void>(resolve => {
      for (const res of held.splice(0)) res.destroy()
      server.closeAllConnections()
      server.close(() => resolve())
    })
  })
}

export type Instance = Awaited<ReturnType<typeof startInstance>>

/** Instances on one port at 127.0.0.2, .3, ...: the addresses a DNS name can resolve to. */
export async function startInstancesOnOnePort (count: number): Promise<Instance[]> {
  for (let attempt = 0; ; attempt++) {
    const first = await startInstance({ host: '127.0.0.2' })
    const rest: Instance[] = []
    try {
      for (let i = 1; i < count; i++) rest.push(await startInstance({ host: `127.0.0.${2 + i}`, port: first.port }))
      return [first, ...rest]
    } catch (err) {
      // The port was taken on another address: try another one.
      await Promise.all([first, ...rest].map(i => i.close()))
      if (attempt >= 5) throw err
    }
  }
}

/** Waits for a positive signal: polls `condition` until it holds (the test's timeout bounds it). */
export async function until (condition: () => boolean | Promise<boolean>) {
  while (!await condition()) await new Promise(resolve => setTimeout(resolve, 20))
}
