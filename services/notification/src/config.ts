import { Type } from '@sinclair/typebox'

export const NotificationConfigSchema = Type.Object({
  NOTIFY_DEV_INBOX: Type.Union([Type.Literal('auto'), Type.Literal('on'), Type.Literal('off')], {
    default: 'auto',
    description: 'capture messages in the dev inbox: auto = on unless NODE_ENV=production'
  }),
  NOTIFY_APP_NAME: Type.String({ default: 'Gatehouse', description: 'product name used in message templates' })
})
