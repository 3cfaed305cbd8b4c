// Redis and RabbitMQ: the local ones (REDIS_URL and AMQP_URL, or the usual local ports when
// they answer), each side under its own prefix, cleaned afterwards by the sides themselves.
import { connect } from 'node:net'

export interface Brokers {
  redisUrl?: string
  amqpUrl?: string
}

function answers (url: string): Promise<boolean> {
  const { hostname, port } = new URL(url)
  return new Promise(resolve => {
    const socket = connect(Number(port), hostname)
    socket.setTimeout(1000)
    socket.once('connect', () => { socket.destroy(); resolve(true) })
    socket.once('error', () => resolve(false))
    socket.once('timeout', () => { socket.destroy(); resolve(false) })
  })
}

export async function localBrokers (): Promise<Brokers> {
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
  const amqpUrl = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672'
  return {
    ...(await answers(redisUrl) ? { redisUrl } : {}),
    ...(await answers(amqpUrl) ? { amqpUrl } : {})
  }
}
