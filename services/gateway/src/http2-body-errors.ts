import { constants } from 'node:http2'
import type { Http2ServerRequest } from 'node:http2'
import type { Readable } from 'node:stream'
import type { FastifyRequest } from 'fastify'

/**
 * When an upstream body fails after the status went out, Fastify destroys the
 * response without an error: on HTTP/1.1 the connection drops and the client
 * sees the body cut, but on HTTP/2 the stream ends cleanly, and the client
 * would take a truncated body for the whole one. This resets the stream with
 * INTERNAL_ERROR instead.
 */
export function resetHttp2StreamOnError (request: FastifyRequest, body: Readable): void {
  if (request.raw.httpVersionMajor !== 2) return
  body.once('error', () => {
    const stream = (request.raw as unknown as Http2ServerRequest).stream
    if (!stream.destroyed) stream.close(constants.NGHTTP2_INTERNAL_ERROR)
  })
}
