import { after, before } from 'node:test'
import { freePort, internalHeadersFor, openTestBackends, startTestService, waitFor } from '@app/kit/testing'
import type { TestBackends } from '@app/kit/testing'
import { notificationService } from '@app/notification'
import { otpService } from '@app/otp'
import { userService } from '@app/user'
import { authService } from '../src/service.ts'

type Running = Awaited<ReturnType<typeof startTestService>>

export { uniquePhone } from '@app/kit/testing'

/** User, notification, otp and auth on one set of backends; auth and otp also listen for gRPC (h2c). */
export function usePhoneStack () {
  const s = {} as { backends: TestBackends, user: Running, auth: Running, otp: Running, notification: Running, authGrpc: string, otpGrpc: string }
  before(async () => {
    const [authGrpc, otpGrpc] = await Promise.all([freePort(), freePort()])
    s.authGrpc = `http://127.0.0.1:${authGrpc}`
    s.otpGrpc = `http://127.0.0.1:${otpGrpc}`
    s.backends = await openTestBackends()
    s.user = await startTestService(userService, { USER_ARGON2_MEMORY_KIB: '1024', USER_ARGON2_TIME_COST: '1' }, s.backends)
    s.notification = await startTestService(notificationService, {}, s.backends)
    s.otp = await startTestService(otpService, { OTP_RESEND_COOLDOWN_SECONDS: '0', GRPC_PORT: String(otpGrpc) }, s.backends)
    s.auth = await startTestService(authService, { USER_SERVICE_URL: s.user.url, OTP_SERVICE_URL: s.otp.url, GRPC_PORT: String(authGrpc) }, s.backends)
  })
  after(async () => {
    for (const running of [s.auth, s.otp, s.notification, s.user]) await running?.cleanup()
    await s.backends?.cleanup()
  })

  /** The code messages to a number, newest first (a new account's welcome SMS is left out). */
  const sms = async (phone: string) => ((await s.notification.app.inject({ method: 'GET', url: `/dev/inbox?to=${encodeURIComponent(phone)}` })).json().items as Array<{ text: string }>)
    .filter(m => /\b\d{6}\b/.test(m.text))

  return {
    get s () { return s },
    sms,
    /** Waits for the `n`-th code sent to the number and returns it. */
    async codeNumber (phone: string, n: number): Promise<string> {
      const items = await waitFor(async () => { const all = await sms(phone); return all.length >= n && all })
      return /\b(\d{6})\b/.exec(items[0]!.text)![1]!
    },
    getUser: async (id: string) => (await s.user.app.inject({ method: 'GET', url: `/internal/users/${id}`, headers: internalHeadersFor('user') })).json()
  }
}
