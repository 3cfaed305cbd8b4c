import type { DevInboxStore } from '../dev-inbox-store.ts'
import { errorText, retryable } from './provider.ts'
import type { Provider } from './provider.ts'

/** The dev inbox as a provider: captured messages go through the same rows, worker and retries as real ones. */
export function createInboxProvider (inbox: DevInboxStore): Provider {
  return {
    name: 'inbox',
    async send (message, deliveryKey) {
      try {
        return { ok: true, messageId: await inbox.capture(message, deliveryKey) }
      } catch (err) {
        return retryable(errorText(`inbox: ${(err as Error).message}`))
      }
    },
    async close () {}
  }
}
