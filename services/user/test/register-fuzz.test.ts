import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { useUserService } from './helper.ts'

const field = fc.oneof(
  fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null),
  fc.array(fc.string(), { maxLength: 3 }), fc.object({ maxDepth: 1 }),
  fc.string({ unit: 'grapheme', maxLength: 200 }), fc.emailAddress(), fc.constant('+14155550123'),
  fc.string({ minLength: 129, maxLength: 300 })
)

/** Bodies that are wrong in some way: a bad field, an extra field, a wrong shape, or not JSON at all. */
const badBody = fc.oneof(
  fc.record({ email: field, password: field, phone: field, name: field }, { requiredKeys: [] }),
  fc.record({ email: fc.emailAddress(), password: fc.string({ maxLength: 7 }) }),
  fc.dictionary(fc.string({ maxLength: 10 }), field, { maxKeys: 5 }),
  fc.oneof(fc.array(field, { maxLength: 3 }), fc.string(), fc.integer(), fc.constant(null)),
  fc.record({ email: fc.emailAddress(), password: fc.string({ minLength: 8, maxLength: 20 }), extra: field })
)

describe('register under generated bad input', () => {
  const svc = useUserService()

  it('never answers 5xx, and every 4xx is a problem naming a code', async () => {
    let rejected = 0
    await fc.assert(fc.asyncProperty(badBody, fc.boolean(), async (body, raw) => {
      const payload = raw ? JSON.stringify(body).slice(0, -1) : JSON.stringify(body)
      const res = await svc.app.inject({ method: 'POST', url: '/api/v1/users/register', headers: { 'content-type': 'application/json' }, payload })
      assert.ok(res.statusCode < 500, `${res.statusCode} for ${payload}: ${res.body}`)
      if (res.statusCode >= 400) {
        rejected++
        assert.match(String(res.headers['content-type']), /^application\/problem\+json/)
        assert.ok(res.json().code, res.body)
      }
    }), { numRuns: 300 })
    assert.ok(rejected > 250, `only ${rejected} of 300 generated bodies were rejected`)
  })
})
