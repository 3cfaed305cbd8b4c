import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { useGateway } from './helper.ts'

describe('CORS in development', () => {
  const gw = useGateway()
  const origin = 'http://localhost:5173'

  it('lets a local page call the API', async () => {
    const res = await fetch(`${gw.gateway.url}/api/v1/auth/login`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' }
    })
    assert.equal(res.headers.get('access-control-allow-origin'), origin)
  })

  it('never lets another origin read or clear the dev inbox, which holds every code and link', async () => {
    const read = await fetch(`${gw.gateway.url}/dev/inbox`, { headers: { origin } })
    assert.equal(read.headers.get('access-control-allow-origin'), null)
    const preflight = await fetch(`${gw.gateway.url}/dev/inbox`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'DELETE' }
    })
    assert.equal(preflight.headers.get('access-control-allow-origin'), null)
    assert.equal(preflight.headers.get('access-control-allow-methods'), null)
  })
})
