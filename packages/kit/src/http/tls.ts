import { maxHeaderSize } from 'node:http'
import type { Http2SecureServer, Http2ServerRequest, Http2Session } from 'node:http2'
import type { FastifyInstance } from 'fastify'
import { KitErrors } from '../errors/index.ts'
import { sendProblem } from './problem.ts'

/** The certificate (chain first) and private key a server terminates TLS with, both PEM. */
export interface TlsCredentials {
  cert: Buffer | string
  key: Buffer | string
}

/**
 * Fastify's options for HTTPS: HTTP/2, and HTTP/1.1 for clients that do not
 * offer h2 in ALPN. HTTP/2 advertises the HTTP/1.1 parser's header limit;
 * once the client acknowledged it, a larger header list is refused with a
 * stream reset (HTTP/1.1 answers 431).
 */
export function httpsServerOptions (tls: TlsCredentials, idleMs: number) {
  return {
    http2: true as const,
    https: { allowHTTP1: true, cert: tls.cert, key: tls.key, settings: { maxHeaderListSize: maxHeaderSize } },
    http2SessionTimeout: idleMs
  }
}

/** Bytes of a header list as HTTP/2 counts them (RFC 9113 6.5.2): name, value and 32 per field. */
function headerListSize (rawHeaders: string[]): number {
  let size = 16 * rawHeaders.length
  for (const part of rawHeaders) size += part.length
  return size
}

/**
 * What an HTTP/2 server lacks beside Fastify's HTTP/1.1 one: the keep-alive
 * timeout on HTTP/1.1 connections; a GOAWAY to each session on close (Node 20
 * keeps sessions open through `server.close()`, so the close would wait for
 * the clients); while draining, a GOAWAY in place of `Connection: close`
 * (which HTTP/2 forbids; Node would drop it with a warning); and a 431 for a
 * header list over the limit sent before the client acknowledged it (the
 * limit only binds from then on).
 */
export function installHttpsLifecycle (app: FastifyInstance, idleMs: number): void {
  const server = app.server as unknown as Http2SecureServer & { keepAliveTimeout?: number }
  server.keepAliveTimeout = idleMs
  const sessions = new Set<Http2Session>()
  server.on('session', (session) => {
    sessions.add(session)
    session.once('close', () => sessions.delete(session))
  })
  app.addHook('preClose', async () => {
    for (const session of sessions) session.close()
  })
  app.addHook('onRequest', (request, reply, done) => {
    if (request.raw.httpVersionMajor !== 2) return done()
    if (headerListSize(request.raw.rawHeaders) > maxHeaderSize) {
      sendProblem(request, reply, KitErrors.header_too_large('The request headers are larger than the server accepts'))
      return
    }
    if (app.lifecycle.draining) {
      reply.removeHeader('connection')
      const session = (request.raw as unknown as Http2ServerRequest).stream.session
      if (session && !session.closed) session.close()
    }
    done()
  })
}
