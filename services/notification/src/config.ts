import { Type } from '@sinclair/typebox'

const Ms = (description: string, value: number, minimum: number, maximum: number) =>
  Type.Integer({ default: value, minimum, maximum, description })

export const NotificationConfigSchema = Type.Object({
  NOTIFY_DEV_INBOX: Type.Union([Type.Literal('auto'), Type.Literal('on'), Type.Literal('off')], {
    default: 'auto',
    description: 'capture messages in the dev inbox: auto = on unless NODE_ENV=production'
  }),
  NOTIFY_APP_NAME: Type.String({ default: 'Gatehouse', description: 'product name used in message templates' }),

  NOTIFY_EMAIL_PROVIDER: Type.Optional(Type.Union([Type.Literal('smtp'), Type.Literal('inbox')], {
    description: 'where email goes; unset: smtp when an SMTP server is configured, else the dev inbox when it is on'
  })),
  NOTIFY_SMS_PROVIDER: Type.Optional(Type.Union([Type.Literal('twilio'), Type.Literal('inbox')], {
    description: 'where SMS goes; unset: twilio when an account SID is configured, else the dev inbox when it is on'
  })),

  NOTIFY_SMTP_URL: Type.Optional(Type.String({ pattern: '^smtps?://', description: 'smtp://user:pass@host:587 (STARTTLS when offered) or smtps://... (TLS from the start); replaces the HOST/PORT/SECURE/USER/PASS variables' })),
  NOTIFY_SMTP_HOST: Type.Optional(Type.String({ minLength: 1, description: 'SMTP server host name' })),
  NOTIFY_SMTP_PORT: Type.Integer({ default: 587, minimum: 1, maximum: 65535, description: 'SMTP server port' }),
  NOTIFY_SMTP_SECURE: Type.Boolean({ default: false, description: 'TLS from the start (port 465); false upgrades with STARTTLS when the server offers it' }),
  NOTIFY_SMTP_USER: Type.Optional(Type.String({ minLength: 1, description: 'SMTP user name' })),
  NOTIFY_SMTP_PASS: Type.Optional(Type.String({ minLength: 1, description: 'SMTP password' })),
  NOTIFY_SMTP_FROM: Type.Optional(Type.String({ minLength: 3, description: 'the From of every email, e.g. "Gatehouse <no-reply@example.com>"; required with smtp' })),
  NOTIFY_SMTP_TIMEOUT_MS: Ms('SMTP connect, greeting and socket timeout', 10_000, 100, 120_000),
  NOTIFY_SMTP_MAX_CONNECTIONS: Type.Integer({ default: 5, minimum: 1, maximum: 100, description: 'pooled SMTP connections per instance' }),

  NOTIFY_TWILIO_ACCOUNT_SID: Type.Optional(Type.String({ pattern: '^AC[0-9a-fA-F]{32}$', description: 'Twilio account SID (AC followed by 32 hex digits)' })),
  NOTIFY_TWILIO_AUTH_TOKEN: Type.Optional(Type.String({ minLength: 16, description: 'Twilio auth token' })),
  NOTIFY_TWILIO_FROM: Type.Optional(Type.String({ minLength: 2, description: 'sender: an E.164 number of the account or an alphanumeric sender id' })),
  NOTIFY_TWILIO_MESSAGING_SERVICE_SID: Type.Optional(Type.String({ pattern: '^MG[0-9a-fA-F]{32}$', description: 'Twilio messaging service SID (MG...); used instead of NOTIFY_TWILIO_FROM' })),
  NOTIFY_TWILIO_BASE_URL: Type.String({ default: 'https://api.twilio.com', pattern: '^https?://', description: 'Twilio REST API base URL' }),
  NOTIFY_TWILIO_TIMEOUT_MS: Ms('timeout of one Twilio request', 10_000, 100, 120_000),

  NOTIFY_MAX_ATTEMPTS: Type.Integer({ default: 5, minimum: 1, maximum: 50, description: 'send attempts of one message before it is dead' }),
  NOTIFY_RETRY_BASE_MS: Ms('delay before the second attempt; doubles after each failure, with jitter', 10_000, 10, 3_600_000),
  NOTIFY_RETRY_MAX_MS: Ms('longest delay between two attempts', 600_000, 10, 86_400_000),
  NOTIFY_WORKER_POLL_MS: Ms('how often the delivery worker looks for due messages', 1000, 10, 60_000),
  NOTIFY_WORKER_BATCH: Type.Integer({ default: 20, minimum: 1, maximum: 500, description: 'messages one instance sends at once' }),
  NOTIFY_SEND_LEASE_MS: Ms('how long a claimed message stays reserved for the worker sending it; longer than a send can take', 60_000, 1000, 3_600_000),
  NOTIFY_CONTACT_CACHE_SECONDS: Type.Integer({ default: 30, minimum: 0, maximum: 86_400, description: 'how long a user\'s contact details and preferences are cached; 0 asks the user service every time' }),
  NOTIFY_DELIVERY_RETENTION_HOURS: Type.Integer({ default: 720, minimum: 0, maximum: 87_600, description: 'hours a sent or dead message is kept after its last change' }),
  NOTIFY_DEV_INBOX_RETENTION_HOURS: Type.Integer({ default: 24, minimum: 0, maximum: 87_600, description: 'hours a message stays in the dev inbox' })
})
