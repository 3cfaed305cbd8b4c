import { randomBytes } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { useOidc } from './oidc-stack.ts'

const subject = () => `sub-${randomBytes(6).toString('hex')}`

describe('sign-in with an identity provider while the user service is down', () => {
  const s = useOidc()
  const { t } = s

  it('returns to the app with a generic error_description that names no internal address or cause', async () => {
    const user = await s.registerConfirmed()
    const sub = subject()
    s.idp.addAccount({ sub, email: user.email.toLowerCase(), email_verified: true })
    const { url, browser } = await s.toCallback(sub)

    // The user service stops listening (connection refused), then listens again on its port for the rest.
    const server = t.user.app.server
    const { address, port } = server.address() as AddressInfo
    await new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections() })
    let back: URL
    try {
      const res = await browser.open(url.href)
      assert.equal(res.status, 302)
      back = new URL(res.headers.get('location')!)
    } finally {
      await new Promise<void>((resolve) => { server.listen(port, address, () => resolve()) })
    }
    assert.equal(back.origin + back.pathname, 'https://app.example/signed-in')
    assert.equal(back.searchParams.get('error'), 'unavailable')
    assert.equal(back.searchParams.has('code'), false)
    const description = back.searchParams.get('error_description') ?? ''
    assert.match(description, /^The sign-in could not be finished because a service is unavailable/)
    for (const leak of ['ECONNREFUSED', '/internal/', '127.0.0.1', String(port)]) {
      assert.equal(description.includes(leak), false, `error_description names ${leak}: ${description}`)
    }
  })
})
