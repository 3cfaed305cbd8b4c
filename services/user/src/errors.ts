import { defineErrors } from '@app/kit/errors'

export const UserErrors = defineErrors('user', {
  invalid_credentials: { status: 401, message: 'Invalid credentials' },
  user_not_found: { status: 404, message: 'User not found' }
})
