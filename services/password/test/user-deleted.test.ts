import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createEvent, wasProcessed } from '@app/kit/bus'
import { waitFor } from '@app/kit/testing'
import { NEW_PASSWORD, usePasswordStack } from './helper.ts'

describe('a deleted user (user.deleted)', () => {
  const stack = usePasswordStack()

  it('keeps no reset token, and their link stops working', async () => {
    const { id, email } = await stack.register()
    const token = await stack.resetToken(email)
    const deleted = createEvent('/services/user', 'user.deleted', { userId: id, email, phone: null, emailVerified: false, phoneVerified: false, deletedBy: 'self' }, id)
    await stack.password.backends.bus.bus.publish(deleted)
    await waitFor(() => wasProcessed(stack.password.ctx.db, 'password.user-deleted', deleted.id))

    const { rows } = await stack.password.ctx.db.query<{ n: number }>('select count(*)::int as n from reset_tokens where user_id = $1', [id])
    assert.equal(rows[0]!.n, 0)
    const res = await stack.post('/api/v1/password/reset', { token, newPassword: NEW_PASSWORD })
    assert.equal(res.statusCode, 400, res.body)
    assert.equal(res.json().code, 'reset_token_invalid')
  })
})
