import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { useVerificationStack } from './helper.ts'

describe('the verification page a link opens', () => {
  const stack = useVerificationStack()
  const get = (token: string) => stack.verification.app.inject({ method: 'GET', url: `/api/v1/email-verification/verify?token=${token}` })
  const submit = (fields: Record<string, string>) => stack.verification.app.inject({
    method: 'POST',
    url: '/api/v1/email-verification/verify/form',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(fields).toString()
  })

  it('shows a confirm button on GET without spending the token (a mail scanner may open it first)', async () => {
    const { id, email, token } = await stack.registerWithToken()
    for (let i = 0; i < 2; i++) {
      const page = await get(token)
      assert.equal(page.statusCode, 200)
      assert.match(String(page.headers['content-type']), /^text\/html/)
      const csp = String(page.headers['content-security-policy'])
      assert.match(csp, /default-src 'none'/)
      assert.doesNotMatch(csp, /script/)
      assert.equal(page.headers['referrer-policy'], 'no-referrer')
      assert.equal(page.headers['cache-control'], 'no-store')
      assert.match(page.body, /<form method="post" action="\/api\/v1\/email-verification\/verify\/form"/)
      assert.doesNotMatch(page.body, /<script/)
    }
    assert.equal((await stack.user(id)).emailVerified, false)
    const res = await stack.verify(token)
    assert.deepEqual(res.json(), { email, verified: true })
  })

  it('verifies with the form POST, then says the link no longer works', async () => {
    const { id, email, token } = await stack.registerWithToken()
    const res = await submit({ token })
    assert.equal(res.statusCode, 200)
    assert.match(String(res.headers['content-type']), /^text\/html/)
    assert.match(String(res.headers['content-security-policy']), /default-src 'none'/)
    assert.match(res.body, /Email confirmed/)
    assert.ok(res.body.includes(email))
    assert.equal((await stack.user(id)).emailVerified, true)

    const again = await submit({ token })
    assert.equal(again.statusCode, 400)
    assert.match(again.body, /no longer works/)
    assert.match((await get(token)).body, /no longer works/)
  })

  it('says the link no longer works for an unknown, malformed or missing token', async () => {
    for (const url of ['?token=' + 'A'.repeat(43), '?token=%3Cscript%3E', '']) {
      const page = await stack.verification.app.inject({ method: 'GET', url: `/api/v1/email-verification/verify${url}` })
      assert.equal(page.statusCode, 400)
      assert.match(page.body, /no longer works/)
      assert.doesNotMatch(page.body, /<script/)
    }
    const posted = await submit({ token: '<b>nope</b>' })
    assert.equal(posted.statusCode, 400)
    assert.match(posted.body, /no longer works/)
  })
})
