import { randomBytes } from 'node:crypto'
import { after, before } from 'node:test'
import assert from 'node:assert/strict'
import { openTestBackends, startTestService } from '@app/kit/testing'
import type { TestBackends } from '@app/kit/testing'
import type { Env } from '@app/kit/config'
import type { CloudEvent } from '@app/kit/bus'
import { userService } from '@app/user'
import { authService } from '../src/service.ts'

/** Cheap argon2id parameters: the production cost is measured in bench/, not paid in every test. */
const CHEAP_HASHING = { USER_ARGON2_MEMORY_KIB: '1024', USER_ARGON2_TIME_COST: '1' }

export const PASSWORD = 'correct horse battery'

export function uniqueEmail (tag = 'user'): string {
  return `${tag}.${randomBytes(5).toString('hex')}@Example.COM`
}

/**
 * The user and auth services of one test file on one set of backends; auth
 * calls the user service over real HTTP. Events auth publishes are collected.
 */
export function useAuth (overrides: Env = {}) {
  const state = { events: [] as CloudEvent[] } as {
    backends: TestBackends
    user: Awaited<ReturnType<typeof startTestService<typeof userService.configSchema>>>
    auth: Awaited<ReturnType<typeof startTestService<typeof authService.configSchema>>>
    events: CloudEvent[]
  }
  before(async () => {
    state.backends = await openTestBackends()
    state.user = await startTestService(userService, CHEAP_HASHING, state.backends)
    state.auth = await startTestService(authService, { USER_SERVICE_URL: state.user.url, ...overrides }, state.backends)
    await state.backends.bus.bus.subscribe({ group: `auth-test-${randomBytes(4).toString('hex')}`, bindings: ['auth.*'] }, async (event) => {
      state.events.push(event)
    })
  })
  after(async () => {
    // Auth calls user, so it stops first; the shared backends go last.
    await state.auth?.cleanup()
    await state.user?.cleanup()
    await state.backends?.cleanup()
  })

  const post = (url: string, payload: object, headers: Record<string, string> = {}) =>
    state.auth.app.inject({ method: 'POST', url, payload, headers })

  return {
    get auth () { return state.auth },
    get user () { return state.user },
    get events () { return state.events },
    post,
    async register (email = uniqueEmail()): Promise<{ id: string, email: string }> {
      const res = await state.user.app.inject({ method: 'POST', url: '/api/v1/users/register', payload: { email, password: PASSWORD } })
      assert.equal(res.statusCode, 201, res.body)
      return { id: res.json().id, email }
    },
    async login (email: string, password = PASSWORD): Promise<{ accessToken: string, refreshToken: string }> {
      const res = await post('/api/v1/auth/login', { email, password })
      assert.equal(res.statusCode, 200, res.body)
      return res.json()
    },
    refresh: (refreshToken: string) => post('/api/v1/auth/refresh', { refreshToken }),
    async validate (token: string): Promise<{ valid: boolean, sub?: string, exp?: number, roles?: string[] }> {
      const res = await post('/api/v1/auth/validate', { token })
      assert.equal(res.statusCode, 200, res.body)
      return res.json()
    }
  }
}

export function withoutRequestId (body: Record<string, unknown>): Record<string, unknown> {
  return { ...body, requestId: undefined }
}
