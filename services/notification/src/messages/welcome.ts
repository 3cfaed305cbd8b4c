import type { OutgoingMessage } from '../dev-inbox-store.ts'

export interface Registered {
  userId: string
  email: string | null
  phone: string | null
  name: string | null
}

/** The welcome message: by email when there is one, else by SMS. */
export function welcomeMessage (user: Registered, appName: string): OutgoingMessage | undefined {
  const greeting = user.name ? `Hi ${user.name},` : 'Hi,'
  if (user.email) {
    return {
      channel: 'email',
      to: user.email,
      subject: `Welcome to ${appName}`,
      text: `${greeting}\n\nYour ${appName} account is ready. Watch for a separate message to confirm your email address.\n`
    }
  }
  if (user.phone) return { channel: 'sms', to: user.phone, text: `Welcome to ${appName}! Your account is ready.` }
  return undefined
}
