import type { Static } from '@sinclair/typebox'
import type { NotificationConfigSchema } from '../config.ts'
import type { DevInboxStore } from '../dev-inbox-store.ts'
import { createInboxProvider } from './inbox.ts'
import type { Channel, Provider } from './provider.ts'
import type { ProviderChoice } from './select-providers.ts'
import { createSmsOffProvider } from './sms-off.ts'
import { createSmtpProvider } from './smtp.ts'
import { createTwilioProvider } from './twilio.ts'

type Config = Static<typeof NotificationConfigSchema>

export type Providers = Record<Channel, Provider>

/** The provider of each channel, as `selectProviders` chose them (it has checked that what they need is set). */
export function createProviders (choice: ProviderChoice, config: Config, inbox: DevInboxStore | undefined): Providers {
  const inboxProvider = inbox ? createInboxProvider(inbox) : undefined
  const email = choice.email === 'smtp'
    ? createSmtpProvider({
      url: config.NOTIFY_SMTP_URL,
      host: config.NOTIFY_SMTP_HOST,
      port: config.NOTIFY_SMTP_PORT,
      secure: config.NOTIFY_SMTP_SECURE,
      user: config.NOTIFY_SMTP_USER,
      pass: config.NOTIFY_SMTP_PASS,
      from: config.NOTIFY_SMTP_FROM!,
      timeoutMs: config.NOTIFY_SMTP_TIMEOUT_MS,
      maxConnections: config.NOTIFY_SMTP_MAX_CONNECTIONS
    })
    : inboxProvider!
  const sms = choice.sms === 'twilio'
    ? createTwilioProvider({
      accountSid: config.NOTIFY_TWILIO_ACCOUNT_SID!,
      authToken: config.NOTIFY_TWILIO_AUTH_TOKEN!,
      from: config.NOTIFY_TWILIO_FROM,
      messagingServiceSid: config.NOTIFY_TWILIO_MESSAGING_SERVICE_SID,
      baseUrl: config.NOTIFY_TWILIO_BASE_URL,
      timeoutMs: config.NOTIFY_TWILIO_TIMEOUT_MS
    })
    : choice.sms === 'none' ? createSmsOffProvider() : inboxProvider!
  return { email, sms }
}
