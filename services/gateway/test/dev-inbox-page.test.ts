import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import type { IncomingHttpHeaders, Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { useGateway } from './helper.ts'

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8'

/** A notification service whose dev inbox is on, off (404, as in production) or failing; it records what it was asked. */
function useNotification () {
  const state = { mode: 'on' as 'on' | 'off' | 'failing', seen: [] as Array<{ method: string, url: string, headers: IncomingHttpHeaders }>, url: '' }
  let server: Server
  before(async () => {
    server = createServer((req, res) => {
      if (req.url === '/readyz') return res.writeHead(200, { 'content-type': 'application/json' }).end('{}')
      state.seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers })
      if (!req.url?.startsWith('/dev/inbox')) return res.writeHead(200, { 'content-type': 'application/json' }).end('{}')
      if (state.mode === 'off') return res.writeHead(404, { 'content-type': 'application/problem+json' }).end('{"status":404,"code":"not_found","title":"Not Found"}')
      if (state.mode === 'failing') return res.writeHead(500, { 'content-type': 'application/problem+json' }).end('{"status":500,"code":"internal","title":"Internal"}')
      if (req.method === 'DELETE') return res.writeHead(204).end()
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"items":[]}')
    })
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
    state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  after(() => new Promise<void>(resolve => server.close(() => resolve())))
  return state
}

function fakeBuild () {
  const dir = mkdtempSync(join(tmpdir(), 'console-inbox-'))
  mkdirSync(join(dir, 'assets'))
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>console</title>')
  return `${dir}/`
}

/**
 * A gateway with a console build in front of a notification service whose inbox is `mode`. One per mode: the
 * gateway believes the service's answer for a few seconds (dev-inbox-probe.test.ts), so none flips it mid-file.
 */
function useInboxGateway (mode: 'on' | 'off' | 'failing') {
  const dir = fakeBuild()
  after(() => rmSync(dir, { recursive: true, force: true }))
  const notification = useNotification()
  notification.mode = mode
  // A getter: the fake notification's address is known only once its `before` has run, just before the gateway's.
  const gw = useGateway({ GATEWAY_CONSOLE_DIR: dir, get NOTIFICATION_SERVICE_URL () { return notification.url } })
  return { dir, notification, gw }
}

describe('/dev/inbox at the gateway, the inbox on', () => {
  const { dir, notification, gw } = useInboxGateway('on')

  it('opens the console\'s inbox page in a browser when the notification service has the inbox on', async () => {
    notification.seen.length = 0
    const res = await fetch(`${gw.gateway.url}/dev/inbox?to=ada@example.com`, { headers: { accept: BROWSER_ACCEPT } })
    assert.equal(res.status, 200)
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/)
    assert.equal(res.headers.get('cache-control'), 'no-cache')
    assert.match(res.headers.get('vary') ?? '', /accept/i)
    assert.match(await res.text(), /<title>console<\/title>/)
    // It asked the service, for JSON, whether the inbox exists.
    assert.deepEqual(notification.seen.map(s => [s.method, s.url, s.headers.accept]), [['GET', '/dev/inbox?limit=1', 'application/json']])
  })

  it('lets the inbox page show a mail\'s inline styles, and nothing else the console\'s policy forbids', async () => {
    const res = await fetch(`${gw.gateway.url}/dev/inbox`, { headers: { accept: BROWSER_ACCEPT } })
    const csp = res.headers.get('content-security-policy') ?? ''
    assert.match(csp, /style-src 'self' 'unsafe-inline'(;|$)/)
    assert.match(csp, /script-src 'self'(;|$)/)
    assert.match(csp, /script-src-attr 'none'/)
    assert.match(csp, /img-src 'self' data:(;|$)/)
    assert.match(csp, /frame-ancestors 'none'/)
    // Every other console page keeps styles from the platform only.
    const login = await fetch(`${gw.gateway.url}/auth/login`)
    assert.match(login.headers.get('content-security-policy') ?? '', /style-src 'self'(;|$)/)
  })

  it('answers curl and the page\'s own calls with the service\'s JSON, and passes DELETE on', async () => {
    notification.seen.length = 0
    for (const accept of ['*/*', 'application/json']) {
      const res = await fetch(`${gw.gateway.url}/dev/inbox?channel=sms`, { headers: { accept } })
      assert.equal(res.status, 200, accept)
      assert.match(res.headers.get('content-type') ?? '', /^application\/json/)
      assert.deepEqual(await res.json(), { items: [] })
    }
    const cleared = await fetch(`${gw.gateway.url}/dev/inbox`, { method: 'DELETE', headers: { accept: BROWSER_ACCEPT } })
    assert.equal(cleared.status, 204)
    assert.deepEqual(notification.seen.map(s => [s.method, s.url]), [['GET', '/dev/inbox?channel=sms'], ['GET', '/dev/inbox?channel=sms'], ['DELETE', '/dev/inbox']])
  })

  it('serves a new build on the next visit, without a restart (the old page would ask for deleted files)', async () => {
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>console, rebuilt</title>')
    utimesSync(join(dir, 'index.html'), new Date(), new Date(Date.now() + 5000))
    for (const [path, accept] of [['/account', '*/*'], ['/dev/inbox', BROWSER_ACCEPT]] as const) {
      const res = await fetch(`${gw.gateway.url}${path}`, { headers: { accept } })
      assert.match(await res.text(), /console, rebuilt/, path)
    }
  })
})

describe('/dev/inbox at the gateway, the inbox off', () => {
  const { gw } = useInboxGateway('off')

  it('serves no page where the inbox is off (production): the 404 problem says how to turn it on', async () => {
    const res = await gw.call('/dev/inbox', { accept: BROWSER_ACCEPT })
    assert.equal(res.status, 404)
    assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/)
    assert.match(res.body.detail, /NOTIFY_DEV_INBOX=on/)
    assert.equal(res.headers.get('content-security-policy'), "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
  })
})

describe('/dev/inbox at the gateway, the service failing', () => {
  const { gw } = useInboxGateway('failing')

  it('says the service is unavailable when it cannot tell', async () => {
    const res = await gw.call('/dev/inbox', { accept: BROWSER_ACCEPT })
    assert.equal(res.status, 503)
    assert.equal(res.body.code, 'unavailable')
  })
})
