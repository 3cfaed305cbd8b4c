// A child process of the bench: the all-in-one platform, as `npm start` runs it (compiled
// JavaScript with plain node, `--conditions=gatehouse-dist`), on free ports. It sends its
// URLs over IPC and, on 'stop', closes and deletes its RabbitMQ queues and exchanges.
import { createLogger } from '@app/kit/log'
import { deleteTopology } from '@app/kit/testing'
import { startPlatform } from '@app/platform'

const platform = await startPlatform({ env: process.env, log: createLogger(process.env.LOG_LEVEL ?? 'warn'), ports: 'auto' })
process.send({
  gatewayUrl: platform.gatewayUrl,
  urls: Object.fromEntries([...platform.services].map(([name, running]) => [name, running.url])),
  backends: platform.backends
})

async function stop () {
  const topology = platform.services.get('user')?.ctx.bus.topology?.()
  await platform.close()
  if (topology && process.env.AMQP_URL) await deleteTopology(process.env.AMQP_URL, topology)
}
process.on('message', message => {
  if (message === 'stop') stop().then(() => process.exit(0), () => process.exit(1))
})
// Never outlive the bench.
process.on('disconnect', () => process.exit(0))
