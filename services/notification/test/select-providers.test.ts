import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { ConfigError, loadConfig } from '@app/kit/config'
import type { Env } from '@app/kit/config'
import { NotificationConfigSchema } from '../src/config.ts'
import { selectProviders } from '../src/providers/select-providers.ts'

const choose = (env: Env, nodeEnv = 'development') =>
  selectProviders({ ...loadConfig(NotificationConfigSchema, env), NODE_ENV: nodeEnv, SMS_ENABLED: env.SMS_ENABLED !== 'false' })

const SMTP = { NOTIFY_SMTP_HOST: 'smtp.example.com', NOTIFY_SMTP_FROM: 'no-reply@example.com' }
const TWILIO = { NOTIFY_TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`, NOTIFY_TWILIO_AUTH_TOKEN: '0123456789abcdef0123', NOTIFY_TWILIO_FROM: '+15005550006' }

function problemsOf (fn: () => unknown): string[] {
  try { fn() } catch (err) {
    assert.ok(err instanceof ConfigError)
    return err.problems
  }
  assert.fail('expected a ConfigError')
}

describe('choosing a provider per channel', () => {
  it('uses the dev inbox by default outside production', () => {
    assert.deepEqual(choose({}), { inbox: true, email: 'inbox', sms: 'inbox' })
    assert.deepEqual(choose({}, 'test'), { inbox: true, email: 'inbox', sms: 'inbox' })
  })

  it('uses SMTP and Twilio once they are configured, channel by channel, or as chosen', () => {
    assert.deepEqual(choose(SMTP), { inbox: true, email: 'smtp', sms: 'inbox' })
    assert.deepEqual(choose(TWILIO), { inbox: true, email: 'inbox', sms: 'twilio' })
    assert.deepEqual(choose({ ...SMTP, ...TWILIO, NOTIFY_EMAIL_PROVIDER: 'inbox' }), { inbox: true, email: 'inbox', sms: 'twilio' })
    assert.deepEqual(choose({ ...SMTP, ...TWILIO }, 'production'), { inbox: false, email: 'smtp', sms: 'twilio' })
  })

  it('refuses to start in production with a channel that has no provider, naming what to set', () => {
    const problems = problemsOf(() => choose({}, 'production'))
    assert.equal(problems.length, 4)
    assert.match(problems[0]!, /NOTIFY_SMTP_URL or NOTIFY_SMTP_HOST is required/)
    assert.match(problems[1]!, /NOTIFY_SMTP_FROM is required/)
    assert.match(problems[2]!, /NOTIFY_TWILIO_ACCOUNT_SID and NOTIFY_TWILIO_AUTH_TOKEN are required/)
    assert.match(problems[3]!, /NOTIFY_TWILIO_FROM or NOTIFY_TWILIO_MESSAGING_SERVICE_SID is required/)
    assert.deepEqual(problemsOf(() => choose({ ...SMTP }, 'production')).length, 2, 'SMS still lacks a provider')
  })

  it('uses the dev inbox in production only when it is turned on explicitly', () => {
    assert.deepEqual(choose({ NOTIFY_DEV_INBOX: 'on' }, 'production'), { inbox: true, email: 'inbox', sms: 'inbox' })
    assert.deepEqual(problemsOf(() => choose({ ...TWILIO, NOTIFY_EMAIL_PROVIDER: 'inbox' }, 'production')),
      ['NOTIFY_EMAIL_PROVIDER=inbox needs the dev inbox: set NOTIFY_DEV_INBOX=on'])
  })

  it('starts an email-only deployment in production without any SMS provider when SMS_ENABLED=false', () => {
    assert.deepEqual(choose({ ...SMTP, SMS_ENABLED: 'false' }, 'production'), { inbox: false, email: 'smtp', sms: 'none' })
    assert.deepEqual(choose({ SMS_ENABLED: 'false' }), { inbox: true, email: 'inbox', sms: 'none' }, 'off in development too: it behaves as it will in production')
    assert.match(problemsOf(() => choose({ ...SMTP }, 'production'))[0]!, /or SMS_ENABLED=false for an email-only deployment/, 'the start-up error names the way out')
  })

  it('refuses an SMS provider chosen while SMS is turned off', () => {
    assert.deepEqual(problemsOf(() => choose({ ...SMTP, ...TWILIO, SMS_ENABLED: 'false', NOTIFY_SMS_PROVIDER: 'twilio' }, 'production')),
      ['NOTIFY_SMS_PROVIDER=twilio contradicts SMS_ENABLED=false: unset one of them'])
  })

  it('refuses a send lease shorter than a send may take', () => {
    assert.match(problemsOf(() => choose({ NOTIFY_SEND_LEASE_MS: '5000' }))[0]!, /NOTIFY_SEND_LEASE_MS must be longer/)
  })

  it('checks the shape of Twilio SIDs and SMTP URLs', () => {
    const problems = problemsOf(() => loadConfig(NotificationConfigSchema, { NOTIFY_TWILIO_ACCOUNT_SID: 'AC123', NOTIFY_SMTP_URL: 'http://mail' }))
    assert.deepEqual(problems.map(p => p.split(' ')[0]), ['NOTIFY_SMTP_URL', 'NOTIFY_TWILIO_ACCOUNT_SID'])
  })
})
