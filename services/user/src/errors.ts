import { defineErrors } from '@app/kit/errors'

export const UserErrors = defineErrors('user', {
  invalid_credentials: { status: 401, message: 'Invalid credentials' },
  user_not_found: { status: 404, message: 'User not found' },
  password_unchanged: { status: 400, message: 'The new password is the current password' },
  admin_self_demotion: { status: 409, message: 'Administrators cannot remove their own admin role' },
  admin_self_moderation: { status: 409, message: 'Administrators cannot disable or delete their own account through the admin routes' },
  password_incorrect: { status: 400, message: 'The password is not the account\'s password' },
  no_verified_contact: { status: 400, message: 'The account has no verified address to check a code against' },
  phone_change_not_pending: { status: 409, message: 'No phone change is waiting for a code' },
  email_change_undo_invalid: { status: 400, message: 'The undo link is invalid, expired or already used' }
})
