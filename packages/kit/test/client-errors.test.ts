import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { connect } from 'node:net'
import type { AddressInfo } from 'node:net'
import { createServer } from '../src/http/index.ts'
import type { App } from '../src/http/index.ts'
import { createLogger } from '../src/log/index.ts'

/** Writes `raw` on a fresh connection and reads until the server closes it. */
function exchange (port: number, raw: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(raw))
    let answer = ''
    socket.setEncoding('utf8').on('data', (chunk: string) => { answer += chunk })
    socket.on('close', () => resolve(answer))
    socket.on('error', reject)
  })
}

function problemOf (answer: string) {
  const [head = '', body = ''] = answer.split('\r\n\r\n')
  return { statusLine: head.split('\r\n')[0], head: head.toLowerCase(), body: JSON.parse(body) as Record<string, unknown> }
}

describe('requests the HTTP parser refuses, before any route', () => {
  let app: App
  let port: number
  before(async () => {
    app = await createServer({ name: 'client-errors-test', log: createLogger('silent'), bodyLimit: 1024 })
    app.get('/ok', async () => ({ ok: true }))
    await app.listen({ port: 0, host: '127.0.0.1' })
    port = (app.server.address() as AddressInfo).port
  })
  after(() => app.close())

  it('answers headers over 16 KiB 431 header_too_large as problem+json, and closes the connection', async () => {
    const answer = problemOf(await exchange(port, `GET /ok HTTP/1.1\r\nHost: a\r\nX-Padding: ${'a'.repeat(20_000)}\r\n\r\n`))
    assert.equal(answer.statusLine, 'HTTP/1.1 431 Request Header Fields Too Large')
    assert.match(answer.head, /content-type: application\/problem\+json/)
    assert.match(answer.head, /connection: close/)
    assert.equal(answer.body.code, 'header_too_large')
    assert.equal(answer.body.status, 431)
    assert.equal(answer.body.type, 'https://gatehouse.dev/problems/header_too_large')
    assert.ok(answer.body.requestId)
  })

  it('answers a request that is not HTTP 400 validation_failed as problem+json', async () => {
    const answer = problemOf(await exchange(port, 'HELLO THERE\r\n\r\n'))
    assert.equal(answer.statusLine, 'HTTP/1.1 400 Bad Request')
    assert.equal(answer.body.code, 'validation_failed')
    assert.equal(answer.body.detail, 'The request is not valid HTTP')
  })

  it('still serves a well-formed request', async () => {
    const answer = await exchange(port, 'GET /ok HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n')
    assert.match(answer, /^HTTP\/1\.1 200 OK/)
  })
})
