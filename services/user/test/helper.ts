import { randomBytes } from 'node:crypto'
import { after, before } from 'node:test'
import assert from 'node:assert/strict'
import { callerHeadersFor, internalHeadersFor, startTestService } from '@app/kit/testing'
import type { CloudEvent } from '@app/kit/bus'
import { userService } from '../src/service.ts'

/** Cheap argon2id parameters: the production cost is measured in bench/, not paid in every test. */
export const CHEAP_HASHING = { USER_ARGON2_MEMORY_KIB: '1024', USER_ARGON2_TIME_COST: '1' }

export const internal = internalHeadersFor('user')

export function uniqueEmail (tag = 'user'): string {
  return `${tag}.${randomBytes(5).toString('hex')}@Example.COM`
}

export { uniquePhone } from '@app/kit/testing'

/** One running user service per test file (fresh schema, cache and bus); events it publishes are collected. */
export function useUserService () {
  const state = {} as { service: Awaited<ReturnType<typeof startTestService<typeof userService.configSchema>>>, events: CloudEvent[] }
  before(async () => {
    state.service = await startTestService(userService, CHEAP_HASHING)
    state.events = []
    await state.service.backends.bus.bus.subscribe({ group: 'user-test-observer', bindings: ['user.*'] }, async (event) => {
      state.events.push(event)
    })
  })
  after(async () => { await state.service.cleanup() })
  return {
    get app () { return state.service.app },
    get events () { return state.events },
    get service () { return state.service }
  }
}

type App = ReturnType<typeof useUserService>['app']

export interface UserJson {
  id: string
  email: string | null
  phone: string | null
  name: string | null
  emailVerified: boolean
  phoneVerified: boolean
  roles: string[]
}

/** Registers a user (a fresh email and a good password unless the body says otherwise) and returns it. */
export async function registerUser (app: App, body: Record<string, unknown> = { email: uniqueEmail(), password: 'correct horse battery' }): Promise<UserJson> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/users/register', payload: body })
  assert.equal(res.statusCode, 201, res.body)
  return res.json()
}

/** The signed identity headers of this user, as the gateway sends them; `admin` adds the admin role. */
export function as (user: { id: string }, admin = false): Record<string, string> {
  return callerHeadersFor(user.id, admin ? ['user', 'admin'] : ['user'])
}
