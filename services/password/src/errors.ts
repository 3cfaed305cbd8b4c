import { defineErrors } from '@app/kit/errors'

export const PasswordErrors = defineErrors('password', {
  reset_token_invalid: { status: 400, message: 'Reset token invalid' },
  current_password_invalid: { status: 400, message: 'Current password is wrong' }
})
