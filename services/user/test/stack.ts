import { randomBytes } from 'node:crypto'
import { createServer, connect } from 'node:net'
import type { AddressInfo, Socket } from 'node:net'
import { after, before } from 'node:test'
import assert from 'node:assert/strict'
import { authService } from '@app/auth'
import { notificationService } from '@app/notification'
import { otpService } from '@app/otp'
import { callerHeadersFor, internalHeadersFor, openTestBackends, startTestService, waitFor } from '@app/kit/testing'
import type { TestBackends } from '@app/kit/testing'
import type { CloudEvent } from '@app/kit/bus'
import { userService } from '../src/service.ts'
import { CHEAP_HASHING, uniqueEmail } from './helper.ts'

export const PASSWORD = 'correct horse battery'

type Running = Awaited<ReturnType<typeof startTestService>>

/**
 * A local port that forwards to a port named later: the auth and user
 * services call each other, so one of them needs the other's address first.
 */
async function lateForwarder () {
  let target: number | undefined
  const sockets = new Set<Socket>()
  const server = createServer((client) => {
    sockets.add(client)
    client.on('close', () => sockets.delete(client))
    client.on('error', () => client.destroy())
    if (target === undefined) return client.destroy()
    const upstream = connect(target, '127.0.0.1')
    sockets.add(upstream)
    upstream.on('close', () => sockets.delete(upstream))
    upstream.on('error', () => client.destroy())
    client.pipe(upstream).pipe(client)
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    pointAt (url: string) { target = Number(new URL(url).port) },
    async close () {
      for (const s of sockets) s.destroy()
      await new Promise<void>(resolve => server.close(() => resolve()))
    }
  }
}

export interface Session {
  userId: string
  accessToken: string
  refreshToken: string
  /** What the gateway would send the user service for this session (a fresh proof: authTime now). */
  headers: Record<string, string>
}

/** The user, auth, otp and notification services of one test file on one set of backends, over real HTTP. */
export function useAccountStack () {
  const state = { events: [] as CloudEvent[] } as {
    backends: TestBackends
    forwarder: Awaited<ReturnType<typeof lateForwarder>>
    user: Running
    auth: Running
    otp: Running
    notification: Running
    events: CloudEvent[]
  }
  before(async () => {
    state.backends = await openTestBackends()
    state.forwarder = await lateForwarder()
    state.auth = await startTestService(authService, { USER_SERVICE_URL: state.forwarder.url }, state.backends)
    state.otp = await startTestService(otpService, { OTP_RESEND_COOLDOWN_SECONDS: '0' }, state.backends)
    state.user = await startTestService(userService, {
      ...CHEAP_HASHING, AUTH_SERVICE_URL: state.auth.url, OTP_SERVICE_URL: state.otp.url
    }, state.backends)
    state.forwarder.pointAt(state.user.url)
    state.notification = await startTestService(notificationService, { USER_SERVICE_URL: state.user.url }, state.backends)
    await state.backends.bus.bus.subscribe({ group: `user-stack-${randomBytes(4).toString('hex')}`, bindings: ['user.*', 'auth.*'] }, async (event) => {
      state.events.push(event)
    })
  })
  after(async () => {
    await state.notification?.cleanup()
    await state.user?.cleanup()
    await state.otp?.cleanup()
    await state.auth?.cleanup()
    await state.forwarder?.close()
    await state.backends?.cleanup()
  })

  async function inbox (to: string): Promise<Array<{ text: string, subject: string | null, channel: string }>> {
    return (await state.notification.app.inject({ method: 'GET', url: `/dev/inbox?to=${encodeURIComponent(to)}` })).json().items
  }

  const stack = {
    get user () { return state.user },
    get auth () { return state.auth },
    get events () { return state.events },
    inbox,
    user$: (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, headers: Record<string, string>, payload?: object) =>
      state.user.app.inject({ method, url, headers, ...(payload ? { payload } : {}) }),
    async register (body: Record<string, unknown> = { email: uniqueEmail('stack'), password: PASSWORD }): Promise<{ id: string, email: string | null, phone: string | null }> {
      const res = await state.user.app.inject({ method: 'POST', url: '/api/v1/users/register', payload: body })
      assert.equal(res.statusCode, 201, res.body)
      return res.json()
    },
    /** Marks the address verified as the email-verification service or phone sign-up would. */
    async verifyContact (userId: string, contact: { email?: string, phone?: string }) {
      const [what, value] = contact.email ? ['email', contact.email] : ['phone', contact.phone!]
      const res = await state.user.app.inject({ method: 'POST', url: `/internal/users/${userId}/${what}-verified`, headers: internalHeadersFor('user'), payload: { [what]: value } })
      assert.equal(res.statusCode, 200, res.body)
    },
    login: (email: string, password = PASSWORD) => state.auth.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } }),
    refresh: (refreshToken: string) => state.auth.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken } }),
    async session (email: string, password = PASSWORD, roles = ['user']): Promise<Session> {
      const res = await stack.login(email, password)
      assert.equal(res.statusCode, 200, res.body)
      const pair = res.json() as { accessToken: string, refreshToken: string }
      const claims = JSON.parse(Buffer.from(pair.accessToken.split('.')[1]!, 'base64url').toString()) as { sub: string, sid: string }
      return { userId: claims.sub, ...pair, headers: callerHeadersFor(claims.sub, roles, claims.sid) }
    },
    /** Sends a code as the otp service's internal callers do, and reads it from the dev inbox. */
    async sentCode (to: string, body: Record<string, unknown>): Promise<string> {
      const before = (await inbox(to)).length
      const res = await state.otp.app.inject({ method: 'POST', url: '/internal/otp/send', headers: internalHeadersFor('otp'), payload: { destination: to, ...body } })
      assert.equal(res.statusCode, 202, res.body)
      return stack.codeIn(to, before)
    },
    /** The code in a message to `to` that arrived after the `before`-th (others, such as a welcome SMS, may arrive around it). */
    async codeIn (to: string, before: number): Promise<string> {
      const message = await waitFor(async () => {
        const all = await inbox(to)
        return all.slice(0, all.length - before).find(m => /\b\d{6}\b/.test(m.text))
      })
      return /\b(\d{6})\b/.exec(message.text)![1]!
    },
    eventsOf: (type: string, subject: string) => state.events.filter(e => e.type === type && e.subject === subject)
  }
  return stack
}
