import { defineErrors } from '@app/kit/errors'

export const MagicLinkErrors = defineErrors('auth', {
  magic_link_invalid: { status: 400, message: 'Magic link invalid' },
  magic_link_expired: { status: 410, message: 'Magic link expired' },
  magic_link_used: { status: 410, message: 'Magic link already used' },
  magic_link_other_device: { status: 409, message: 'Magic link opened in another browser' }
})

export type MagicLinkFailure = 'magic_link_invalid' | 'magic_link_expired' | 'magic_link_used'
