import { randomUUID } from 'node:crypto'
import type { Socket } from 'node:net'
import type { FastifyInstance } from 'fastify'
import { KitErrors } from '../errors/index.ts'
import type { AppError } from '../errors/index.ts'
import { problemType } from './problem.ts'

const REASONS: Record<number, string> = { 400: 'Bad Request', 431: 'Request Header Fields Too Large' }

function rawProblem (error: AppError): string {
  const body = JSON.stringify({
    type: problemType(error.code),
    title: error.message,
    status: error.status,
    detail: error.detail,
    code: error.code,
    // No request was parsed, so none was given an id: this one only ties the answer to the log line.
    requestId: randomUUID()
  })
  return `HTTP/1.1 ${error.status} ${REASONS[error.status]}\r\n` +
    'Content-Type: application/problem+json; charset=utf-8\r\n' +
    `Content-Length: ${Buffer.byteLength(body)}\r\n` +
    `X-Error-Code: ${error.code}\r\n` +
    'Connection: close\r\n\r\n' + body
}

/**
 * Fastify's `clientErrorHandler`: an HTTP/1.1 request the parser refused before
 * any route or hook could see it. Headers over Node's `maxHeaderSize` (16 KiB)
 * are answered 431 and other malformed requests 400, as problem+json like every
 * other error. A request timeout gets Node's bare 408; a TLS failure (plain
 * HTTP on an HTTPS port, a failed handshake) gets nothing, as there is no HTTP
 * to answer with.
 */
export function answerClientError (this: FastifyInstance, err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return
  this.log.debug({ failure: err.code }, 'client error')
  if (!socket.writable || !err.code?.startsWith('HPE_')) {
    if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT' && socket.writable) socket.end('HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n')
    else socket.destroy()
    return
  }
  const problem = err.code === 'HPE_HEADER_OVERFLOW'
    ? KitErrors.header_too_large('The request line and headers are larger than the server accepts')
    : KitErrors.validation_failed('The request is not valid HTTP')
  socket.end(rawProblem(problem))
}
