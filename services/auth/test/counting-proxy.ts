import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

const HOP_BY_HOP = new Set(['host', 'connection', 'keep-alive', 'transfer-encoding', 'content-length'])

/** Runs before a request is forwarded: what happens meanwhile happens between auth's request and the user service's answer. */
export type BeforeForward = (method: string, url: string) => Promise<void> | void

/**
 * An HTTP forwarder in front of the user service that counts the password
 * checks auth asks for: how many guesses were really tried, whatever auth answered.
 */
export async function startCountingProxy (target: string) {
  let checks = 0
  let beforeForward: BeforeForward | undefined
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', async () => {
      if (req.method === 'POST' && req.url?.startsWith('/internal/users/verify-credentials')) checks++
      try {
        await beforeForward?.(req.method ?? 'GET', req.url ?? '/')
      } catch {
        res.writeHead(502).end()
        return
      }
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([name, value]) => !HOP_BY_HOP.has(name) && typeof value === 'string')) as Record<string, string>
      const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined
      fetch(`${target}${req.url ?? '/'}`, { method: req.method ?? 'GET', headers, ...(body ? { body } : {}) }).then(async (upstream) => {
        const answer = Buffer.from(await upstream.arrayBuffer())
        const out: Record<string, string> = {}
        upstream.headers.forEach((value, name) => { if (!HOP_BY_HOP.has(name) && name !== 'content-encoding') out[name] = value })
        res.writeHead(upstream.status, out).end(answer)
      }, () => res.writeHead(502).end())
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    /** Password checks forwarded so far. */
    get checks () { return checks },
    /** Sets (or clears) what runs before each request is forwarded. */
    beforeForward (hook: BeforeForward | undefined) { beforeForward = hook },
    close: () => new Promise<void>(resolve => { server.closeAllConnections(); server.close(() => resolve()) })
  }
}
