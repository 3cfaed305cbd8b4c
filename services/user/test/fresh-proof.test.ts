import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { setImmediate as tick } from 'node:timers/promises'
import { createMemoryCache } from '@app/kit/cache'
import { isAppError } from '@app/kit/errors'
import { createFreshProof, FAILURE_WINDOW_SECONDS, MAX_PASSWORD_FAILURES } from '../src/fresh-proof.ts'
import type { FreshProofDeps } from '../src/fresh-proof.ts'

const USER_ID = '00000000-0000-4000-8000-000000000001'
const RIGHT = 'correct horse battery'

/** A fresh proof over a memory cache with a manual clock, and a hasher that counts the checks it makes (each after a turn of the event loop, as argon2 on the thread pool). */
function proofUnderTest () {
  let clock = Date.now()
  const checks = { count: 0 }
  const deps = {
    store: { findUserWithSecretById: async () => ({ id: USER_ID, passwordHash: 'hash' }) } as unknown as FreshProofDeps['store'],
    hasher: {
      hash: async () => 'hash',
      async verify (_hash: string | null | undefined, password: string) {
        checks.count++
        await tick()
        return password === RIGHT
      }
    },
    otp: {} as FreshProofDeps['otp'],
    cache: createMemoryCache({ now: () => clock })
  }
  const proof = createFreshProof(deps)
  const attempt = async (password: string) => {
    try {
      await proof.password(USER_ID, password, '/body/currentPassword')
      return 'ok'
    } catch (err) {
      if (!isAppError(err)) throw err
      return err.code
    }
  }
  return { checks, attempt, advance: (ms: number) => { clock += ms } }
}

/** @see issue 11, item 7: a stolen access token is no password oracle, also with parallel requests. */
describe('fresh proof: wrong passwords per window', () => {
  it('checks at most MAX_PASSWORD_FAILURES of many wrong passwords sent at once; the rest are refused unchecked', async () => {
    const { checks, attempt } = proofUnderTest()
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => attempt(`wrong ${i}`)))
    assert.equal(checks.count, MAX_PASSWORD_FAILURES)
    assert.equal(answers.filter(a => a === 'password_incorrect').length, MAX_PASSWORD_FAILURES)
    assert.equal(answers.filter(a => a === 'rate_limited').length, 20 - MAX_PASSWORD_FAILURES)
    assert.equal(await attempt(RIGHT), 'rate_limited', 'even the right password, until the window ends')
    assert.equal(checks.count, MAX_PASSWORD_FAILURES)
  })

  it('checks again once the window has passed', async () => {
    const { checks, attempt, advance } = proofUnderTest()
    await Promise.all(Array.from({ length: 8 }, (_, i) => attempt(`wrong ${i}`)))
    advance(FAILURE_WINDOW_SECONDS * 1000)
    assert.equal(await attempt(RIGHT), 'ok')
    assert.equal(checks.count, MAX_PASSWORD_FAILURES + 1)
  })

  it('resets the count when the right password is given', async () => {
    const { checks, attempt } = proofUnderTest()
    for (let i = 0; i < MAX_PASSWORD_FAILURES - 1; i++) assert.equal(await attempt(`wrong ${i}`), 'password_incorrect')
    assert.equal(await attempt(RIGHT), 'ok')
    const answers = await Promise.all(Array.from({ length: MAX_PASSWORD_FAILURES + 2 }, (_, i) => attempt(`again ${i}`)))
    assert.equal(answers.filter(a => a === 'password_incorrect').length, MAX_PASSWORD_FAILURES)
    assert.equal(checks.count, 2 * MAX_PASSWORD_FAILURES)
  })
})
