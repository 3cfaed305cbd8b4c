import { after, before, beforeEach, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { waitFor } from '@app/kit/testing'
import { DEV_INBOX_ANSWER_TTL_MS, DEV_INBOX_FAILURE_TTL_MS, devInboxProbe } from '../src/console-pages.ts'

/** A notification service that counts the probes it is asked; its inbox on, off (404) or failing (500). */
function useNotification () {
  const state = { mode: 'on' as 'on' | 'off' | 'failing', probes: 0, url: '' }
  /** Answers held back until released: probes in flight. */
  const held: Array<() => void> = []
  let hold = false
  let server: Server
  const listen = (port = 0) => new Promise<void>(resolve => server.listen(port, '127.0.0.1', resolve))
  before(async () => {
    server = createServer((req, res) => {
      if (req.url !== '/dev/inbox?limit=1') return res.writeHead(500).end()
      state.probes++
      const answer = () => {
        if (state.mode === 'on') return res.writeHead(200, { 'content-type': 'application/json' }).end('{"items":[]}')
        res.writeHead(state.mode === 'off' ? 404 : 500, { 'content-type': 'application/problem+json' }).end('{}')
      }
      if (hold) held.push(answer)
      else answer()
    })
    await listen()
    state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  after(() => new Promise<void>(resolve => { server.closeAllConnections(); server.close(() => resolve()) }))
  return {
    state,
    /** Holds answers back until `release`. */
    hold () { hold = true },
    release () { hold = false; for (const answer of held.splice(0)) answer() },
    /** Probes received and not answered yet. */
    get held () { return held.length },
    /** The service stops, as a restart begins. */
    stop: () => new Promise<void>(resolve => { server.closeAllConnections(); server.close(() => resolve()) }),
    /** And comes up again where it was. */
    start: () => listen(Number(new URL(state.url).port))
  }
}

describe('the dev inbox page\'s probe of the notification service', () => {
  const notification = useNotification()
  let clock = 0
  const probe = () => devInboxProbe(() => notification.state.url, 2000, { now: () => clock })
  beforeEach(() => {
    clock = Date.parse('2030-01-01T00:00:00Z')
    notification.state.mode = 'on'
    notification.state.probes = 0
  })

  it('asks once for the visits of a few seconds, then again', async () => {
    const visit = probe()
    for (let i = 0; i < 3; i++) assert.equal(await visit(), 200)
    assert.equal(notification.state.probes, 1)
    clock += DEV_INBOX_ANSWER_TTL_MS - 1
    assert.equal(await visit(), 200)
    assert.equal(notification.state.probes, 1)
    clock += 1
    notification.state.mode = 'off'
    assert.equal(await visit(), 404, 'the answer of the new request')
    assert.equal(notification.state.probes, 2)
  })

  it('reuses the inbox being off as long', async () => {
    notification.state.mode = 'off'
    const visit = probe()
    assert.equal(await visit(), 404)
    clock += DEV_INBOX_ANSWER_TTL_MS - 1
    assert.equal(await visit(), 404)
    assert.equal(notification.state.probes, 1)
  })

  it('lets visits arriving together share one request', async () => {
    const visit = probe()
    notification.hold()
    const visits = Array.from({ length: 5 }, () => visit())
    // Once the one request has reached the service, every visit is waiting for its answer.
    await waitFor(() => notification.held > 0)
    notification.release()
    assert.deepEqual(await Promise.all(visits), [200, 200, 200, 200, 200])
    assert.equal(notification.state.probes, 1)
  })

  it('believes a failing service only a second: its recovery shows on the next visit after that', async () => {
    notification.state.mode = 'failing'
    const visit = probe()
    assert.equal(await visit(), 500)
    assert.equal(await visit(), 500)
    assert.equal(notification.state.probes, 1, 'a failing service is not asked on every visit')
    notification.state.mode = 'on'
    clock += DEV_INBOX_FAILURE_TTL_MS
    assert.equal(await visit(), 200)
    assert.equal(notification.state.probes, 2)
  })

  it('notices a service that was down coming up a second later', async () => {
    const visit = probe()
    await notification.stop()
    try {
      assert.equal(await visit(), 503)
    } finally {
      await notification.start()
    }
    assert.equal(await visit(), 503, 'within the second')
    assert.equal(notification.state.probes, 0)
    clock += DEV_INBOX_FAILURE_TTL_MS
    assert.equal(await visit(), 200)
    assert.equal(notification.state.probes, 1)
  })
})
