import { randomBytes } from 'node:crypto'
import { after, before } from 'node:test'
import assert from 'node:assert/strict'
import { callerHeadersFor, internalHeadersFor, openTestBackends, startTestService, waitFor } from '@app/kit/testing'
import type { TestBackends } from '@app/kit/testing'
import type { Env } from '@app/kit/config'
import { wasProcessed } from '@app/kit/bus'
import type { CloudEvent } from '@app/kit/bus'
import { DELIVERY_EXCHANGE } from '@app/contracts/delivery'
import { notificationService } from '@app/notification'
import { userService } from '@app/user'
import { emailVerificationService } from '../src/service.ts'
import { JOBS_EXCHANGE, SEND_RECEIVED } from '../src/email-verification-service.ts'
import type { SendJob } from '../src/email-verification-service.ts'

/** Cheap argon2id parameters: the production cost is measured in bench/, not paid in every test. */
const CHEAP_HASHING = { USER_ARGON2_MEMORY_KIB: '1024', USER_ARGON2_TIME_COST: '1' }

export const PASSWORD = 'correct horse battery'
export const SUBJECT = 'Confirm your email'

export function uniqueEmail (tag = 'ev'): string {
  return `${tag}.${randomBytes(5).toString('hex')}@example.com`
}

type Running = Awaited<ReturnType<typeof startTestService>>

export interface InboxItem { channel: string, to: string, subject: string | null, text: string }

/** The user, notification and email-verification services of one test file on one set of backends, talking over real HTTP. */
export function useVerificationStack (overrides: Env = {}) {
  const state = { events: [] as CloudEvent[], messages: [] as CloudEvent[] } as {
    backends: TestBackends
    user: Running
    notification: Running
    verification: Running
    /** What other services see on `events`. */
    events: CloudEvent[]
    /** Delivery requests and the service's own jobs: off `events`, still never a token in the clear. */
    messages: CloudEvent[]
  }
  before(async () => {
    state.backends = await openTestBackends()
    state.user = await startTestService(userService, CHEAP_HASHING, state.backends)
    state.notification = await startTestService(notificationService, {}, state.backends)
    state.verification = await startTestService(emailVerificationService, {
      USER_SERVICE_URL: state.user.url,
      EMAIL_VERIFICATION_URL: 'https://app.example.com/verify-email',
      ...overrides
    }, state.backends)
    const { bus } = state.backends.bus
    const group = `ev-test-${randomBytes(4).toString('hex')}`
    await bus.subscribe({ group, bindings: ['user.*', 'email_verification.*'] }, async (event) => { state.events.push(event) })
    await bus.subscribe({ group: `${group}-delivery`, exchange: DELIVERY_EXCHANGE, bindings: ['#'] }, async (event) => { state.messages.push(event) })
    await bus.subscribe({ group: `${group}-jobs`, exchange: JOBS_EXCHANGE, bindings: ['#'] }, async (event) => { state.messages.push(event) })
  })
  after(async () => {
    await state.verification?.cleanup()
    await state.notification?.cleanup()
    await state.user?.cleanup()
    await state.backends?.cleanup()
  })

  const post = (url: string, payload: object) => state.verification.app.inject({ method: 'POST', url, payload })

  async function inbox (to: string): Promise<InboxItem[]> {
    const res = await state.notification.app.inject({ method: 'GET', url: `/dev/inbox?to=${encodeURIComponent(to)}` })
    return res.json().items
  }

  /** The verification mails `to` received, newest first. */
  const mails = async (to: string) => (await inbox(to)).filter(m => m.subject?.startsWith(SUBJECT))

  /** Waits for the verification mail number `count` to `to` and returns the token of its link. */
  async function tokenFromMail (to: string, count = 1): Promise<string> {
    const arrived = await waitFor(async () => {
      const found = await mails(to)
      return found.length >= count && found
    })
    return new URL(/https:\/\/\S+/.exec(arrived[0]!.text)![0]).searchParams.get('token')!
  }

  async function register (email = uniqueEmail()): Promise<{ id: string, email: string }> {
    const res = await state.user.app.inject({ method: 'POST', url: '/api/v1/users/register', payload: { email, password: PASSWORD } })
    assert.equal(res.statusCode, 201, res.body)
    return { id: res.json().id, email }
  }

  /** Asks for a mail and waits until the service has handled the request in the background; the 202 answer is returned. */
  async function sendAndSettle (email: string) {
    const jobsBefore = new Set(state.messages.filter(m => m.type === SEND_RECEIVED).map(m => m.id))
    const res = await post('/api/v1/email-verification/send', { email })
    assert.equal(res.statusCode, 202, res.body)
    const job = await waitFor(() => state.messages.find(m => m.type === SEND_RECEIVED && !jobsBefore.has(m.id) && (m.data as SendJob).email === email))
    await waitFor(() => wasProcessed(state.verification.ctx.db, 'email-verification.send', job.id))
    return res
  }

  return {
    get events () { return state.events },
    get messages () { return state.messages },
    get verification () { return state.verification },
    post,
    inbox,
    mails,
    tokenFromMail,
    verify: (token: string) => post('/api/v1/email-verification/verify', { token }),
    send: (email: string) => post('/api/v1/email-verification/send', { email }),
    register,
    /** Registers and returns the token of the automatic verification mail. */
    async registerWithToken (email = uniqueEmail()): Promise<{ id: string, email: string, token: string }> {
      const user = await register(email)
      return { ...user, token: await tokenFromMail(email) }
    },
    sendAndSettle,
    /** Verification mails the service asked for to this address so far (its outbox: no waiting for delivery). */
    async requestedTo (email: string): Promise<number> {
      const { rows } = await state.verification.ctx.db.query<{ n: number }>(
        "select count(*)::int as n from outbox where type = 'email_verification.sent' and event->'data'->>'email' = $1", [email])
      return rows[0]!.n
    },
    async user (id: string): Promise<{ email: string | null, emailVerified: boolean, pendingEmail: string | null }> {
      const res = await state.user.app.inject({ method: 'GET', url: `/internal/users/${id}`, headers: internalHeadersFor('user') })
      assert.equal(res.statusCode, 200, res.body)
      return res.json()
    },
    /** What the user service is told when a link is used (`/internal/users/:id/email-verified`). */
    markVerified: (id: string, email: string) =>
      state.user.app.inject({ method: 'POST', url: `/internal/users/${id}/email-verified`, payload: { email }, headers: internalHeadersFor('user') }),
    changeEmail: (id: string, email: string) =>
      state.user.app.inject({ method: 'PATCH', url: '/api/v1/users/me', payload: { email }, headers: callerHeadersFor(id) })
  }
}
