import { ConfigError } from '@app/kit/config'
import type { Static } from '@sinclair/typebox'
import type { NotificationConfigSchema } from '../config.ts'

type Config = Static<typeof NotificationConfigSchema> & { NODE_ENV: string, SMS_ENABLED: boolean }

export interface ProviderChoice {
  /** Whether the dev inbox (its table, routes and page) is on. */
  inbox: boolean
  email: 'smtp' | 'inbox'
  /** `none`: SMS_ENABLED=false; messages for phone numbers fail, saying so. */
  sms: 'twilio' | 'inbox' | 'none'
}

/**
 * Which provider each channel uses. Unset, a channel takes its real provider
 * when that is configured, else the dev inbox when it is on; in production
 * the dev inbox is off unless NOTIFY_DEV_INBOX=on, so a channel without a
 * provider is a start-up error there instead of mail silently going nowhere.
 * SMS_ENABLED=false turns SMS off (an email-only deployment needs no provider for it).
 */
export function selectProviders (config: Config): ProviderChoice {
  const inbox = config.NOTIFY_DEV_INBOX === 'on' || (config.NOTIFY_DEV_INBOX === 'auto' && config.NODE_ENV !== 'production')
  const problems: string[] = []
  const smtpConfigured = Boolean(config.NOTIFY_SMTP_URL || config.NOTIFY_SMTP_HOST)
  const twilioConfigured = Boolean(config.NOTIFY_TWILIO_ACCOUNT_SID)
  const email = config.NOTIFY_EMAIL_PROVIDER ?? (smtpConfigured || !inbox ? 'smtp' : 'inbox')
  const sms = !config.SMS_ENABLED ? 'none' : config.NOTIFY_SMS_PROVIDER ?? (twilioConfigured || !inbox ? 'twilio' : 'inbox')

  if (email === 'smtp') {
    if (!smtpConfigured) problems.push('NOTIFY_SMTP_URL or NOTIFY_SMTP_HOST is required: email needs an SMTP server (or NOTIFY_EMAIL_PROVIDER=inbox with the dev inbox on)')
    if (!config.NOTIFY_SMTP_FROM) problems.push('NOTIFY_SMTP_FROM is required when email goes over SMTP')
  }
  if (sms === 'none' && config.NOTIFY_SMS_PROVIDER) {
    problems.push(`NOTIFY_SMS_PROVIDER=${config.NOTIFY_SMS_PROVIDER} contradicts SMS_ENABLED=false: unset one of them`)
  }
  if (sms === 'twilio') {
    if (!config.NOTIFY_TWILIO_ACCOUNT_SID || !config.NOTIFY_TWILIO_AUTH_TOKEN) {
      problems.push('NOTIFY_TWILIO_ACCOUNT_SID and NOTIFY_TWILIO_AUTH_TOKEN are required: SMS needs a Twilio account (or NOTIFY_SMS_PROVIDER=inbox with the dev inbox on, or SMS_ENABLED=false for an email-only deployment)')
    }
    if (!config.NOTIFY_TWILIO_FROM && !config.NOTIFY_TWILIO_MESSAGING_SERVICE_SID) {
      problems.push('NOTIFY_TWILIO_FROM or NOTIFY_TWILIO_MESSAGING_SERVICE_SID is required when SMS goes through Twilio')
    }
  }
  for (const [variable, value] of [['NOTIFY_EMAIL_PROVIDER', email], ['NOTIFY_SMS_PROVIDER', sms]] as const) {
    if (value === 'inbox' && !inbox) problems.push(`${variable}=inbox needs the dev inbox: set NOTIFY_DEV_INBOX=on`)
  }
  const slowest = Math.max(config.NOTIFY_SMTP_TIMEOUT_MS * 3, config.NOTIFY_TWILIO_TIMEOUT_MS)
  if (config.NOTIFY_SEND_LEASE_MS <= slowest) {
    problems.push(`NOTIFY_SEND_LEASE_MS must be longer than a send can take (${slowest} ms with these timeouts), or a slow send could be sent twice`)
  }
  if (problems.length > 0) throw new ConfigError(problems)
  return { inbox, email, sms }
}
