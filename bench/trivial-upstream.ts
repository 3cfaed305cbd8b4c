// A child process of gateway-overhead.ts: the cheapest service built like ours
// (the kit's server, its hooks and logger) with two trivial routes: one the
// gateway's policy table marks authenticated (`GET /api/v1/users/:id`), one public.
// Beside it, on another port, the little of the auth service the gateway needs:
// the token keys and an empty list of ended sessions.
import { createServer } from '@app/kit/http'
import type { App } from '@app/kit/http'
import { createLogger } from '@app/kit/log'
import { loadServiceKeys } from '@app/kit/keys'

const log = createLogger(process.env.LOG_LEVEL ?? 'warn')
const keys = loadServiceKeys(process.env)
const serverOf = (name: string) => createServer({ name, log, bodyLimit: 65_536, keys })
const listen = async (app: App) => {
  await app.listen({ host: '127.0.0.1', port: 0 })
  const address = app.server.address()
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
}

const user = await serverOf('user')
user.get('/api/v1/users/ping', async () => ({ ok: true }))
user.get('/api/v1/users/email-change/undo', async () => ({ ok: true }))

const auth = await serverOf('auth')
const jwks = JSON.parse(process.env.BENCH_JWKS ?? '{"keys":[]}') as unknown
auth.get('/.well-known/jwks.json', async () => jwks)
auth.get('/internal/auth/revocations', async () => ({ until: new Date().toISOString(), windowSeconds: 900, sessions: [], more: false }))

process.send!({ url: await listen(user), authUrl: await listen(auth) })
process.on('message', (message) => {
  // CPU time used so far: the benchmark's measure of this process's cost per request.
  if (message === 'cpu') process.send!({ cpu: process.cpuUsage() })
  if (message === 'stop') Promise.all([user.close(), auth.close()]).then(() => process.exit(0), () => process.exit(1))
})
// Never outlive the benchmark, whatever happened to it.
process.on('disconnect', () => process.exit(0))
