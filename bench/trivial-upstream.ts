// A child process of gateway-overhead.ts: the cheapest service built like ours
// (the kit's server, its hooks and logger), with one route and the token keys.
import { createServer } from '@app/kit/http'
import { createLogger } from '@app/kit/log'
import { loadServiceKeys } from '@app/kit/keys'

const app = await createServer({
  name: 'user',
  log: createLogger(process.env.LOG_LEVEL ?? 'warn'),
  bodyLimit: 65_536,
  keys: loadServiceKeys(process.env)
})
const jwks = JSON.parse(process.env.BENCH_JWKS ?? '{"keys":[]}') as unknown
app.get('/.well-known/jwks.json', async () => jwks)
app.get('/api/v1/users/ping', async () => ({ ok: true }))
await app.listen({ host: '127.0.0.1', port: 0 })
const address = app.server.address()
process.send!({ url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` })
process.on('message', (message) => {
  // CPU time used so far: the benchmark's measure of this process's cost per request.
  if (message === 'cpu') process.send!({ cpu: process.cpuUsage() })
  if (message === 'stop') app.close().then(() => process.exit(0), () => process.exit(1))
})
// Never outlive the benchmark, whatever happened to it.
process.on('disconnect', () => process.exit(0))
