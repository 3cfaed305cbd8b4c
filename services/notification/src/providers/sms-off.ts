import { permanent } from './provider.ts'
import type { Provider } from './provider.ts'

/**
 * SMS_ENABLED=false, an email-only deployment: a message for a phone number is
 * dead at its first attempt, with the reason on its row and in `notification.failed`.
 */
export function createSmsOffProvider (): Provider {
  return {
    name: 'none',
    async send () {
      return permanent('SMS is turned off (SMS_ENABLED=false): this deployment has no SMS provider')
    },
    async close () {}
  }
}
