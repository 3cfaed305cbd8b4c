import { constants } from 'node:http2'
import type { Http2ServerRequest } from 'node:http2'
import type { Readable } from 'node:stream'
import type { FastifyReply, FastifyRequest } from 'fastify'

/**
 * The whole request body, held so it can be sent to a second instance, or
 * `too-large` as soon as it is known to exceed `limit`: at once from its
 * Content-Length (nothing of it read), or while counting the bytes of a
 * chunked body. Either way the connection (HTTP/2: the stream) must end with
 * the 413: `endAfterAnswer`.
 */
export function readBodyWithin (stream: Readable, declaredLength: string | undefined, limit: number): Promise<Buffer | 'too-large'> {
  if (declaredLength !== undefined && Number(declaredLength) > limit) return Promise.resolve('too-large')
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size <= limit) return chunks.push(chunk)
      stream.off('data', onData)
      resolve('too-large')
    }
    stream.on('data', onData)
    stream.once('end', () => resolve(Buffer.concat(chunks, size)))
    stream.once('error', reject)
  })
}

/**
 * The rest of a refused body is not read: HTTP/1.1 closes the connection once
 * the answer is out (it could carry no other request before the body ended,
 * which may be gigabytes away); HTTP/2 ends the stream with NO_ERROR, which
 * tells the client to stop sending (RFC 9113 §8.1).
 */
export function endAfterAnswer (request: FastifyRequest, reply: FastifyReply): void {
  if (request.raw.httpVersionMajor !== 2) {
    reply.header('connection', 'close')
    return
  }
  const stream = (request.raw as unknown as Http2ServerRequest).stream
  reply.raw.once('finish', () => { if (!stream.closed) stream.close(constants.NGHTTP2_NO_ERROR) })
}
