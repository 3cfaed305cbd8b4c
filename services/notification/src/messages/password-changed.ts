import type { OutgoingMessage } from '../dev-inbox-store.ts'

export interface PasswordChanged {
  userId: string
  reason: 'reset' | 'change'
  email: string | null
  phone: string | null
}

/** The security confirmation after a password change: by email when there is one, else by SMS. */
export function passwordChangedMessage (data: PasswordChanged, appName: string): OutgoingMessage | undefined {
  const how = data.reason === 'reset' ? 'reset with a recovery link or code' : 'changed from a signed-in device'
  if (data.email) {
    return {
      channel: 'email',
      to: data.email,
      subject: `Your ${appName} password was changed`,
      text: `The password of your ${appName} account was just ${how}, and every other device was signed out.\n\nIf this was not you, reset your password now and contact support.\n`
    }
  }
  if (data.phone) return { channel: 'sms', to: data.phone, text: `${appName}: your password was just changed. Not you? Reset it now.` }
  return undefined
}
