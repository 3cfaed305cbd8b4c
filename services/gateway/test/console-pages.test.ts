import { after, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { useGateway } from './helper.ts'

/** A built console as vite leaves it: index.html and hashed files under assets/. */
function fakeBuild () {
  const dir = mkdtempSync(join(tmpdir(), 'console-'))
  mkdirSync(join(dir, 'assets'))
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>console</title><script type="module" src="/console/assets/app-abc123.js"></script>')
  writeFileSync(join(dir, 'assets', 'app-abc123.js'), 'console.log("app")')
  return `${dir}/`
}

describe('the console, served by the gateway', () => {
  const dir = fakeBuild()
  const gw = useGateway({ GATEWAY_CONSOLE_DIR: dir })
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('answers every page path with the app, never cached, under a CSP that allows only its own scripts and styles', async () => {
    for (const path of ['/', '/auth/login', '/auth/reset?token=x', '/account', '/account/sessions', '/admin', '/admin/users/123']) {
      const res = await fetch(`${gw.gateway.url}${path}`)
      assert.equal(res.status, 200, path)
      assert.match(res.headers.get('content-type') ?? '', /^text\/html/)
      assert.equal(res.headers.get('cache-control'), 'no-cache')
      const csp = res.headers.get('content-security-policy') ?? ''
      assert.match(csp, /script-src 'self'(;|$)/, path)
      assert.match(csp, /style-src 'self'(;|$)/, path)
      assert.match(csp, /frame-ancestors 'none'/)
      assert.match(await res.text(), /<title>console<\/title>/)
    }
    assert.equal(gw.fake.seen.length, 0, 'no page reached a service')
  })

  it('serves the hashed files for a year, and a missing one as a 404', async () => {
    const res = await fetch(`${gw.gateway.url}/console/assets/app-abc123.js`)
    assert.equal(res.status, 200)
    assert.match(res.headers.get('content-type') ?? '', /javascript/)
    assert.equal(res.headers.get('cache-control'), 'public, max-age=31536000, immutable')
    assert.equal(await res.text(), 'console.log("app")')
    const missing = await fetch(`${gw.gateway.url}/console/assets/nope.js`)
    assert.equal(missing.status, 404)
  })

  it('keeps the API under its own locked-down policy', async () => {
    const res = await fetch(`${gw.gateway.url}/api/v1/users/me`)
    assert.equal(res.headers.get('content-security-policy'), "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
  })
})

describe('the console before a build', () => {
  const parent = mkdtempSync(join(tmpdir(), 'console-empty-'))
  // Not there at all when the gateway starts, as on a checkout nobody built.
  const dir = join(parent, 'dist')
  const gw = useGateway({ GATEWAY_CONSOLE_DIR: `${dir}/` })
  after(() => rmSync(parent, { recursive: true, force: true }))

  it('says how to build it, as a problem', async () => {
    const res = await gw.call('/auth/login')
    assert.equal(res.status, 404)
    assert.match(res.headers.get('content-type') ?? '', /application\/problem\+json/)
    assert.match(res.body.detail, /npm run build/)
  })

  it('serves a build made while it runs, page and files, without a restart', async () => {
    mkdirSync(join(dir, 'assets'), { recursive: true })
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>late build</title>')
    writeFileSync(join(dir, 'assets', 'late-1a2b.js'), 'console.log("late")')
    const page = await fetch(`${gw.gateway.url}/auth/login`)
    assert.equal(page.status, 200)
    assert.match(await page.text(), /late build/)
    const file = await fetch(`${gw.gateway.url}/console/assets/late-1a2b.js`)
    assert.equal(file.status, 200)
    assert.equal(await file.text(), 'console.log("late")')
  })
})

describe('the console switched off', () => {
  const gw = useGateway({ GATEWAY_CONSOLE_ENABLED: 'false' })

  it('answers its paths 404 without reaching a service', async () => {
    const res = await gw.call('/account')
    assert.equal(res.status, 404)
    assert.equal(gw.fake.seen.length, 0)
  })
})
