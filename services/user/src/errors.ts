import { defineErrors } from '@app/kit/errors'

export const UserErrors = defineErrors('user', {
  invalid_credentials: { status: 401, message: 'Invalid credentials' },
  user_not_found: { status: 404, message: 'User not found' },
  password_unchanged: { status: 400, message: 'The new password is the current password' },
  admin_self_demotion: { status: 409, message: 'Administrators cannot remove their own admin role' }
})
