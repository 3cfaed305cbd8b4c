import { randomBytes } from 'node:crypto'
import { after, before } from 'node:test'
import { internalHeadersFor, openTestBackends, startTestService, waitFor } from '@app/kit/testing'
import type { TestBackends } from '@app/kit/testing'
import type { Env } from '@app/kit/config'
import type { CloudEvent } from '@app/kit/bus'
import { notificationService } from '@app/notification'
import { otpService } from '../src/service.ts'

type Running = Awaited<ReturnType<typeof startTestService>>

export { uniquePhone } from '@app/kit/testing'

export const uniqueEmail = () => `otp.${randomBytes(5).toString('hex')}@example.com`

/** The otp and notification services on one set of backends; the code is read from the dev inbox. Cooldown off unless overridden. */
export function useOtp (overrides: Env = {}) {
  const state = { events: [] as CloudEvent[] } as { backends: TestBackends, otp: Running, notification: Running, events: CloudEvent[] }
  before(async () => {
    state.backends = await openTestBackends()
    state.notification = await startTestService(notificationService, {}, state.backends)
    state.otp = await startTestService(otpService, { OTP_RESEND_COOLDOWN_SECONDS: '0', ...overrides }, state.backends)
    await state.backends.bus.bus.subscribe({ group: `otp-test-${randomBytes(4).toString('hex')}`, bindings: ['otp.*'] }, async (event) => {
      state.events.push(event)
    })
  })
  after(async () => {
    await state.otp?.cleanup()
    await state.notification?.cleanup()
    await state.backends?.cleanup()
  })

  const post = (path: string, payload: object, headers: Record<string, string> = {}) =>
    state.otp.app.inject({ method: 'POST', url: `/api/v1/otp/${path}`, payload, headers })
  /** `/internal/otp/send` or `/internal/otp/verify`, as another service calls it. */
  const internal = (path: 'send' | 'verify', payload: object) =>
    state.otp.app.inject({ method: 'POST', url: `/internal/otp/${path}`, payload, headers: internalHeadersFor('otp') })

  async function messages (to: string): Promise<Array<{ text: string, subject: string | null, channel: string }>> {
    return (await state.notification.app.inject({ method: 'GET', url: `/dev/inbox?to=${encodeURIComponent(to)}` })).json().items
  }

  return {
    get otp () { return state.otp },
    get events () { return state.events },
    post,
    internal,
    messages,
    /** Delivery requests the otp service wrote (its outbox): what would reach the SMS or email provider. */
    async deliveries (to: readonly string[]): Promise<number> {
      const { rows } = await state.otp.ctx.db.query<{ n: number }>(
        "select count(*)::int as n from outbox where type = 'notification.requested' and event->'data'->>'to' = any($1::text[])", [to])
      return rows[0]!.n
    },
    /** Waits for the `count`-th message to `to` and returns the code in it. */
    async codeNumber (to: string, count: number): Promise<string> {
      const items = await waitFor(async () => {
        const all = await messages(to)
        return all.length >= count && all
      })
      return /\b(\d{6})\b/.exec(items[0]!.text)![1]!
    },
    async generate (destination: string, purpose?: string): Promise<string> {
      const before = (await messages(destination)).length
      const res = await post('generate', { destination, ...(purpose ? { purpose } : {}) })
      if (res.statusCode !== 202) throw new Error(`generate answered ${res.statusCode}: ${res.body}`)
      return this.codeNumber(destination, before + 1)
    }
  }
}

/** A 6-digit code other than `code`. */
export const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0')
