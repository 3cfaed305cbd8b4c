import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { createEvent, wasProcessed } from '@app/kit/bus'
import { waitFor } from '@app/kit/testing'
import { useVerificationStack } from './helper.ts'

describe('a deleted user (user.deleted)', () => {
  const stack = useVerificationStack()

  it('keeps no verification token, and their link stops working', async () => {
    const { id, email, token } = await stack.registerWithToken()
    const deleted = createEvent('/services/user', 'user.deleted', { userId: id, email, phone: null, emailVerified: false, phoneVerified: false, deletedBy: 'self' }, id)
    await stack.verification.backends.bus.bus.publish(deleted)
    await waitFor(() => wasProcessed(stack.verification.ctx.db, 'email-verification.user-deleted', deleted.id))

    const { rows } = await stack.verification.ctx.db.query<{ n: number }>('select count(*)::int as n from verification_tokens where user_id = $1 or email = $2', [id, email])
    assert.equal(rows[0]!.n, 0)
    const unknown = await stack.verify(randomBytes(32).toString('base64url'))
    const res = await stack.verify(token)
    assert.equal(res.statusCode, unknown.statusCode)
    assert.equal(res.json().code, unknown.json().code)
  })
})
