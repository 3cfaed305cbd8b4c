import { defineErrors } from '@app/kit/errors'

/** The hosted pages' handoff to an app on another origin. */
export const HostedErrors = defineErrors('auth', {
  handoff_code_invalid: { status: 400, message: 'Sign-in code invalid' },
  handoff_admin_refused: { status: 403, message: 'An administrator\'s sign-in is not handed to apps' }
})
