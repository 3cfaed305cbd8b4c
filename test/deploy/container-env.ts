/** The environment a rendered container would start with, Secret values replaced by well-formed stand-ins. */
import { randomBytes } from 'node:crypto'
import type { Env } from '@app/kit/config'
import type { RenderedChart } from '../../scripts/helm/render-chart.ts'
import { ofKind } from './chart.ts'
import type { Any } from './chart.ts'

const keyring = (kid: string) => `${kid}:${randomBytes(32).toString('hex')}`

/** What an operator puts under each Secret key (the formats README.md asks for). */
export const SECRET_STAND_INS: Record<string, string> = {
  DATABASE_URL: 'postgres://gatehouse:secret@db.example.internal:5432/gatehouse',
  PGBOUNCER_DATABASE_URL: 'postgres://gatehouse:secret@gatehouse-pgbouncer:6432/gatehouse',
  REDIS_URL: 'redis://cache.example.internal:6379',
  AMQP_URL: 'amqp://gatehouse:secret@rabbit.example.internal:5672',
  INTERNAL_AUTH_KEYS: keyring('k1'),
  IDENTITY_KEYS: keyring('i1'),
  OTP_HMAC_KEYS: keyring('o1'),
  EVENT_SEAL_KEYS: keyring('s1'),
  AUTH_KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  NOTIFY_SMTP_URL: 'smtps://mailer:secret@smtp.example.com:465',
  NOTIFY_TWILIO_ACCOUNT_SID: `AC${randomBytes(16).toString('hex')}`,
  NOTIFY_TWILIO_AUTH_TOKEN: randomBytes(16).toString('hex'),
  ADMIN_PASSWORD: 'a-long-admin-password-0123'
}

/** ConfigMaps named in envFrom, then the container's env (later wins, as in Kubernetes); `secrets` overrides stand-ins. */
export function containerEnv (chart: RenderedChart, container: Any, secrets: Record<string, string> = {}): Env {
  const env: Env = {}
  for (const from of container.envFrom ?? []) {
    const map = ofKind(chart, 'ConfigMap').find(c => c.metadata.name === from.configMapRef?.name)
    if (!map) throw new Error(`envFrom names no ConfigMap of the chart: ${JSON.stringify(from)}`)
    Object.assign(env, map.data)
  }
  for (const entry of container.env ?? []) {
    const key = entry.valueFrom?.secretKeyRef?.key as string | undefined
    if (key === undefined) env[entry.name] = entry.value
    else {
      const value = secrets[key] ?? SECRET_STAND_INS[key]
      if (value === undefined) throw new Error(`no stand-in for Secret key ${key}`)
      env[entry.name] = value
    }
  }
  return env
}
