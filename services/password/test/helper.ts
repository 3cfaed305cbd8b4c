import { randomBytes } from 'node:crypto'
import { after, before } from 'node:test'
import assert from 'node:assert/strict'
import { callerHeadersFor, internalHeadersFor, openTestBackends, startTcpProxy, startTestService, waitFor } from '@app/kit/testing'
import type { TcpProxy, TestBackends } from '@app/kit/testing'
import type { Env } from '@app/kit/config'
import type { CloudEvent } from '@app/kit/bus'
import { decodeJwt } from 'jose'
import { authService } from '@app/auth'
import { notificationService } from '@app/notification'
import { otpService } from '@app/otp'
import { userService } from '@app/user'
import { passwordService } from '../src/service.ts'

/** Cheap argon2id parameters: the production cost is measured in bench/, not paid in every test. */
const CHEAP_HASHING = { USER_ARGON2_MEMORY_KIB: '1024', USER_ARGON2_TIME_COST: '1' }

export const PASSWORD = 'correct horse battery'
export const NEW_PASSWORD = 'staple gun kangaroo'

export function uniqueEmail (tag = 'pw'): string {
  return `${tag}.${randomBytes(5).toString('hex')}@example.com`
}

type Running = Awaited<ReturnType<typeof startTestService>>

export interface InboxItem { channel: string, to: string, subject: string | null, text: string }

export interface StackOptions {
  /** The password service reaches the user service through a TCP proxy the test can cut. */
  userProxy?: boolean
}

/** The user, auth, notification and password services of one test file on one set of backends, talking over real HTTP. */
export function usePasswordStack (overrides: Env = {}, options: StackOptions = {}) {
  const state = { events: [] as CloudEvent[] } as {
    backends: TestBackends
    user: Running
    auth: Running
    notification: Running
    password: Running
    otp: Running
    events: CloudEvent[]
    userProxy?: TcpProxy
  }
  before(async () => {
    state.backends = await openTestBackends()
    state.user = await startTestService(userService, CHEAP_HASHING, state.backends)
    // Security messages (the password-changed confirmation) read the user's verified addresses from the user service.
    state.notification = await startTestService(notificationService, { USER_SERVICE_URL: state.user.url }, state.backends)
    state.auth = await startTestService(authService, { USER_SERVICE_URL: state.user.url }, state.backends)
    state.otp = await startTestService(otpService, { OTP_RESEND_COOLDOWN_SECONDS: '0' }, state.backends)
    if (options.userProxy) state.userProxy = await startTcpProxy('127.0.0.1', Number(new URL(state.user.url).port))
    state.password = await startTestService(passwordService, {
      USER_SERVICE_URL: state.userProxy ? state.userProxy.url(state.user.url).replace(/\/$/, '') : state.user.url,
      AUTH_SERVICE_URL: state.auth.url,
      OTP_SERVICE_URL: state.otp.url,
      PASSWORD_RESET_URL: 'https://app.example.com/reset-password',
      ...overrides
    }, state.backends)
    await state.backends.bus.bus.subscribe({ group: `password-test-${randomBytes(4).toString('hex')}`, bindings: ['password.*', 'auth.logged_out'] }, async (event) => {
      state.events.push(event)
    })
  })
  after(async () => {
    await state.password?.cleanup()
    await state.userProxy?.close()
    await state.otp?.cleanup()
    await state.auth?.cleanup()
    await state.notification?.cleanup()
    await state.user?.cleanup()
    await state.backends?.cleanup()
  })

  const post = (url: string, payload: object, headers: Record<string, string> = {}) =>
    state.password.app.inject({ method: 'POST', url, payload, headers })

  async function inbox (to: string): Promise<InboxItem[]> {
    const res = await state.notification.app.inject({ method: 'GET', url: `/dev/inbox?to=${encodeURIComponent(to)}` })
    return res.json().items
  }

  return {
    get events () { return state.events },
    get password () { return state.password },
    /** Set with `userProxy`: cut it and the password service finds the user service down. */
    get userProxy () { return state.userProxy! },
    post,
    inbox,
    async register (email = uniqueEmail()): Promise<{ id: string, email: string }> {
      const res = await state.user.app.inject({ method: 'POST', url: '/api/v1/users/register', payload: { email, password: PASSWORD } })
      assert.equal(res.statusCode, 201, res.body)
      return { id: res.json().id, email }
    },
    /** Marks the address verified, as its link would: security messages (the password-changed confirmation) go to verified addresses only. */
    async verifyEmail (id: string, email: string): Promise<void> {
      const res = await state.user.app.inject({ method: 'POST', url: `/internal/users/${id}/email-verified`, payload: { email }, headers: internalHeadersFor('user') })
      assert.equal(res.statusCode, 200, res.body)
    },
    login: (email: string, password = PASSWORD) =>
      state.auth.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } }),
    refresh: (refreshToken: string) =>
      state.auth.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken } }),
    async session (email: string, password = PASSWORD) {
      const res = await state.auth.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } })
      assert.equal(res.statusCode, 200, res.body)
      const pair = res.json() as { accessToken: string, refreshToken: string }
      const claims = decodeJwt(pair.accessToken) as { sub: string, sid: string }
      return { ...pair, headers: callerHeadersFor(claims.sub, ['user'], claims.sid) }
    },
    /** Asks for a reset link and returns the token from the message that arrives. */
    async resetToken (email: string): Promise<string> {
      const before = (await inbox(email)).filter(m => m.subject?.startsWith('Reset')).length
      assert.equal((await post('/api/v1/password/forgot', { email })).statusCode, 202)
      const links = await waitFor(async () => {
        const resets = (await inbox(email)).filter(m => m.subject?.startsWith('Reset'))
        return resets.length > before && resets
      })
      return new URL(/https:\/\/\S+/.exec(links[0]!.text)![0]).searchParams.get('token')!
    }
  }
}
