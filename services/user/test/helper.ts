import { randomBytes, randomInt } from 'node:crypto'
import { after, before } from 'node:test'
import { startTestService, TEST_SERVICE_SECRET } from '@app/kit/testing'
import type { CloudEvent } from '@app/kit/bus'
import { userService } from '../src/service.ts'

/** Cheap argon2id parameters: the production cost is measured in bench/, not paid in every test. */
const CHEAP_HASHING = { USER_ARGON2_MEMORY_KIB: '1024', USER_ARGON2_TIME_COST: '1' }

export const internal = { 'x-service-token': TEST_SERVICE_SECRET }

export function uniqueEmail (tag = 'user'): string {
  return `${tag}.${randomBytes(5).toString('hex')}@Example.COM`
}

/** A valid, random San Francisco number: exchange codes start with 2-9 (NANP), the rest is random. */
export function uniquePhone (): string {
  const exchange = 2 + randomInt(8)
  return `+1415${exchange}${String(randomInt(1_000_000)).padStart(6, '0')}`
}

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
