import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { matchesTopic } from '../src/bus/topic.ts'

describe('matchesTopic', () => {
  const cases: Array<[string, string, boolean]> = [
    ['order.created', 'order.created', true],
    ['order.created', 'order.cancelled', false],
    ['user.*', 'user.registered', true],
    ['user.*', 'user.email_verified', true],
    ['user.*', 'user', false],
    ['user.*', 'user.profile.updated', false],
    ['*.created', 'order.created', true],
    ['*', 'order', true],
    ['*', 'order.created', false],
    ['#', 'order.created', true],
    ['#', 'order', true],
    ['#', '', true],
    ['user.#', 'user', true],
    ['user.#', 'user.profile.updated', true],
    ['user.#', 'users.registered', false],
    ['#.updated', 'user.profile.updated', true],
    ['#.updated', 'updated', true],
    ['a.#.z', 'a.z', true],
    ['a.#.z', 'a.b.c.z', true],
    ['a.#.z', 'a.b.c', false],
    ['#.*', '', false],
    ['#.*', 'a', true],
    ['*.#.*', 'a', false],
    ['*.#.*', 'a.b', true],
    ['a.*.#', 'a.b', true],
    ['a.*.#', 'a', false],
    ['otp_routing_key', 'otp_routing_key', true]
  ]
  for (const [pattern, key, expected] of cases) {
    it(`${expected ? 'matches' : 'does not match'} '${key}' with '${pattern}'`, () => {
      assert.equal(matchesTopic(pattern, key), expected)
    })
  }
})
