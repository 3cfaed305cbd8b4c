import { finished } from 'node:stream/promises'
import type { FastifyInstance } from 'fastify'
import { KitErrors } from '../errors/index.ts'
import { INSTANCE_CLOSING_HEADER, INSTANCE_DRAINING_HEADER } from '../client/connection-failure.ts'
import { sendProblem } from './problem.ts'

/** Where an instance is in its shutdown: serving, draining (out of rotation, still serving), or closing (no new work). */
export interface Lifecycle {
  readonly draining: boolean
  readonly closing: boolean
  /** Readiness turns 503 and every response asks its client to drop the connection; requests are still served. */
  startDraining(): void
}

declare module 'fastify' {
  interface FastifyInstance {
    lifecycle: Lifecycle
  }
}

/**
 * Lets a load balancer, the gateway and the service client move off this
 * instance before it goes: while draining, responses carry `Connection: close`
 * so no keep-alive socket outlives the drain; once closing, a request that
 * still arrives on an open connection is answered 503 with
 * `x-instance-closing: 1`, which callers take as "not processed, send it elsewhere".
 */
export function installDraining (app: FastifyInstance): Lifecycle {
  let draining = false
  let closing = false
  const lifecycle: Lifecycle = {
    get draining () { return draining },
    get closing () { return closing },
    startDraining () { draining = true }
  }
  app.decorate('lifecycle', lifecycle)
  app.addHook('preClose', async () => { closing = true })
  app.addHook('onRequest', async (request, reply) => {
    if (!draining && !closing) return
    reply.header('connection', 'close')
    if (!closing) {
      reply.header(INSTANCE_DRAINING_HEADER, '1')
      return
    }
    // Closing a connection with unread bytes resets it, and the reset would destroy this answer at the client.
    if (!request.raw.complete) await finished(request.raw.resume()).catch(() => {})
    return sendProblem(request, reply, KitErrors.unavailable({
      detail: 'This instance is shutting down; the request was not processed',
      headers: { [INSTANCE_CLOSING_HEADER]: '1', 'retry-after': '0' }
    }))
  })
  return lifecycle
}
