// The RabbitMQ queues of one deployment's bus prefix, for the drain check. A passive declare
// (amqplib's checkQueue) is cheap enough to poll but counts ready messages only; the
// unacknowledged ones a consumer holds while it works only the broker's own tools show. The
// management plugin (its HTTP API) is off on this machine, so `rabbitmqctl list_queues` names the
// queues and confirms, once, that a drain really ended: it starts an Erlang VM (about 1.5 s and
// half a CPU second), far too slow to poll with.
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { connect } from 'amqplib'
import type { Channel, ChannelModel } from 'amqplib'

const run = promisify(execFile)

export interface BusQueues {
  /** Messages ready in the prefix's consumer queues: cheap, a passive declare each (about 26 queues; not the 100-odd retry queues). */
  ready(): Promise<number>
  /** Ready plus unacknowledged messages in every queue of the prefix, retry queues included (a retry is work still to do), from rabbitmqctl; undefined when it failed. */
  inFlight(): Promise<number | undefined>
  close(): Promise<void>
}

interface QueueCounts { name: string, ready: number, unacked: number }

/** The queues consumers read, not `<queue>.retry.<delayMs>`, where failed messages wait out their delay. */
const consumed = (queues: QueueCounts[]) => queues.map(q => q.name).filter(name => !/\.retry\.\d+$/.test(name))

/** rabbitmqctl speaks to the local node only: a remote AMQP_URL is another broker. */
const isLocal = (url: URL) => ['127.0.0.1', 'localhost', '::1', '[::1]'].includes(url.hostname)

/** The prefix's queues; dead-letter queues left out (nothing drains them). Undefined when rabbitmqctl is not usable. */
async function listQueues (vhost: string, prefix: string): Promise<QueueCounts[] | undefined> {
  try {
    const { stdout } = await run('rabbitmqctl', ['-q', 'list_queues', '--no-table-headers', '-p', vhost, 'name', 'messages_ready', 'messages_unacknowledged'], { timeout: 30_000 })
    return stdout.split('\n').map(line => line.split('\t')).filter(([name]) => name?.startsWith(prefix) && !name.endsWith('.dlq'))
      .map(([name, ready, unacked]) => ({ name: name!, ready: Number(ready), unacked: Number(unacked) }))
  } catch {
    return undefined
  }
}

/** Undefined when the queues cannot be listed here (no rabbitmqctl, or a remote broker): the drain then relies on the databases alone. */
export async function openBusQueues (amqpUrl: string, prefix: string): Promise<BusQueues | undefined> {
  const url = new URL(amqpUrl)
  if (!isLocal(url)) return undefined
  const vhost = decodeURIComponent(url.pathname.slice(1)) || '/'
  const listed = await listQueues(vhost, prefix)
  if (!listed) return undefined
  let names = consumed(listed)
  const connection: ChannelModel = await connect(amqpUrl)
  connection.on('error', () => {})
  let channel: Channel | undefined
  const openChannel = async () => {
    const opened = await connection.createChannel()
    // A queue that is gone closes the channel (404); ready() opens another.
    opened.on('error', () => {})
    opened.on('close', () => { if (channel === opened) channel = undefined })
    return opened
  }
  return {
    async ready () {
      let total = 0
      for (const name of names) {
        channel ??= await openChannel()
        try {
          total += (await channel.checkQueue(name)).messageCount
        } catch {
          names = names.filter(n => n !== name)
          channel = undefined
        }
      }
      return total
    },
    async inFlight () {
      const queues = await listQueues(vhost, prefix)
      if (!queues) return undefined
      names = consumed(queues)
      return queues.reduce((sum, q) => sum + q.ready + q.unacked, 0)
    },
    close: () => connection.close().catch(() => {})
  }
}
