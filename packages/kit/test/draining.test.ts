import { describe, it } from 'node:test'
import type { TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { connect } from 'node:net'
import type { Socket } from 'node:net'
import { setImmediate as tick } from 'node:timers/promises'
import { createServer } from '../src/http/index.ts'
import { createLogger } from '../src/log/index.ts'

async function listening (t: TestContext) {
  const app = await createServer({ name: 'drain-test', log: createLogger('silent'), bodyLimit: 1024 })
  t.after(() => app.close())
  let release!: () => void
  const released = new Promise<void>(resolve => { release = resolve })
  let entered!: () => void
  const inHandler = new Promise<void>(resolve => { entered = resolve })
  app.get('/slow', async () => {
    entered()
    await released
    return { finished: true }
  })
  app.post('/items', async () => ({ created: true }))
  await app.listen({ host: '127.0.0.1', port: 0 })
  const address = app.server.address()
  assert.ok(address && typeof address === 'object')
  return { app, port: address.port, release, inHandler }
}

/** A raw connection, so the test decides when each byte of a request is sent. */
async function rawSocket (port: number): Promise<Socket & { response: () => Promise<string> }> {
  const socket = connect(port, '127.0.0.1')
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject))
  let received = ''
  socket.on('data', (chunk: Buffer) => { received += chunk.toString() })
  const ended = new Promise<void>(resolve => socket.once('close', () => resolve()))
  return Object.assign(socket, { response: async () => { await ended; return received } })
}

async function until (condition: () => boolean) {
  while (!condition()) await tick()
}

describe('draining and closing', () => {
  it('answers /readyz 503 draining while still serving, and asks clients to drop the connection', async (t) => {
    const { app } = await listening(t)
    assert.equal((await app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200)
    app.lifecycle.startDraining()
    const readyz = await app.inject({ method: 'GET', url: '/readyz' })
    assert.equal(readyz.statusCode, 503)
    assert.equal(readyz.json().status, 'draining')
    const served = await app.inject({ method: 'POST', url: '/items', payload: {} })
    assert.equal(served.statusCode, 200)
    assert.deepEqual(served.json(), { created: true })
    assert.equal(served.headers.connection, 'close')
    assert.equal(served.headers['x-instance-draining'], '1', 'callers take it out of their rotation')
  })

  it('answers a request that arrives once closing began 503 x-instance-closing, and still finishes the one in flight', async (t) => {
    const { app, port, release, inHandler } = await listening(t)
    const inFlight = fetch(`http://127.0.0.1:${port}/slow`)
    await inHandler
    // A connection that started a request before the close: it is not idle, so the close keeps it open.
    const accepted: Socket[] = []
    app.server.on('connection', (socket: Socket) => accepted.push(socket))
    const late = await rawSocket(port)
    late.write('POST /items HTTP/1.1\r\nHost: localhost\r\n')
    // The server has parsed the start of it (parsing runs as the bytes are read).
    await until(() => accepted.some(s => s.bytesRead > 0))
    const closed = app.close()
    await until(() => app.lifecycle.closing)
    late.end('Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}')
    const raw = await late.response()
    assert.match(raw, /^HTTP\/1\.1 503 /)
    assert.match(raw, /\r\nx-instance-closing: 1\r\n/i)
    assert.match(raw, /\r\nconnection: close\r\n/i)
    assert.match(raw, /"code":"unavailable"/)

    release()
    const res = await inFlight
    assert.equal(res.status, 200)
    assert.deepEqual(await res.json(), { finished: true })
    await closed
  })
})
