import { defineErrors } from '@app/kit/errors'

export const UserErrors = defineErrors('user', {
  invalid_credentials: { status: 401, message: 'Invalid credentials' },
  email_taken: { status: 409, message: 'Email already registered' },
  phone_taken: { status: 409, message: 'Phone number already registered' },
  user_not_found: { status: 404, message: 'User not found' }
})
