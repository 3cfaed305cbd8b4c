// A child process of gateway-overhead.ts: the gateway alone, every service URL
// pointing at the trivial upstream; Redis when REDIS_URL is set, as in production.
import { startService } from '@app/kit/service'
import { gatewayService } from '@app/gateway'

const running = await startService(gatewayService, { env: process.env, port: 0 })
process.send!({ url: running.url })
process.on('message', (message) => {
  // CPU time used so far: the benchmark's measure of this process's cost per request.
  if (message === 'cpu') process.send!({ cpu: process.cpuUsage() })
  if (message === 'stop') running.close().then(() => process.exit(0), () => process.exit(1))
})
// Never outlive the benchmark, whatever happened to it.
process.on('disconnect', () => process.exit(0))
