import { connect } from 'amqplib'
import type { RabbitTopology } from './bus.rabbitmq.ts'

/** Deletes queues and exchanges (what a RabbitMQ bus's `topology()` lists): test runs and ephemeral deployments clean up with it. */
export async function deleteTopology (amqpUrl: string, topology: RabbitTopology): Promise<void> {
  const connection = await connect(amqpUrl)
  connection.on('error', () => {})
  try {
    const channel = await connection.createChannel()
    channel.on('error', () => {})
    for (const queue of topology.queues) await channel.deleteQueue(queue)
    for (const exchange of topology.exchanges) await channel.deleteExchange(exchange)
    await channel.close()
  } finally {
    await connection.close()
  }
}
