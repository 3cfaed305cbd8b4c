import { setTimeout as delay } from 'node:timers/promises'
import { waitFor } from '@app/kit/testing'
import { login } from './accounts.ts'
import type { Account, Session } from './accounts.ts'
import type { GatewayClient } from './gateway-client.ts'

// The design lets a revoked session work for about a second, the API up to 5 s.
const PROPAGATION_MS = 5000

/**
 * Logged-out access tokens around a Redis outage: one logged out before the
 * cut must be refused during and after it, one logged out during the cut after it.
 */
export function createRevocationProbe (client: GatewayClient, account: Account) {
  const problems: string[] = []
  const notes: string[] = []
  let before: Session | undefined
  let during: Session | undefined
  let loggedOutDuring = false

  const statusWith = async (token: string) => (await client.call('GET', '/api/v1/users/me', { token })).status
  const refusedWithin = (token: string, ms: number) =>
    waitFor(async () => (await statusWith(token)) === 401, ms, 100).then(() => true, () => false)

  async function logout (session: Session, when: string): Promise<boolean> {
    const res = await client.call('POST', '/api/v1/auth/logout', { body: { refreshToken: session.refreshToken } })
    if (res.status !== 204) problems.push(`logout ${when} answered ${res.status} ${JSON.stringify(res.body)}`)
    return res.status === 204
  }

  return {
    problems,
    notes,
    async beforeCut (): Promise<void> {
      before = await login(client, account)
      if (!await logout(before, 'before the cut')) return
      if (!await refusedWithin(before.accessToken, PROPAGATION_MS)) problems.push(`a token logged out before the cut was still accepted ${PROPAGATION_MS} ms after its logout`)
    },
    /** Runs while Redis is away, until `deadline`. */
    async duringCut (deadline: number): Promise<void> {
      const accepted = new Map<number, number>()
      let checks = 0
      let loginFailures = 0
      while (Date.now() < deadline) {
        if (before) {
          const status = await statusWith(before.accessToken)
          checks++
          if (status !== 401) accepted.set(status, (accepted.get(status) ?? 0) + 1)
        }
        if (!during) {
          const res = await client.call('POST', '/api/v1/auth/login', { body: { email: account.email, password: account.password } })
          if (res.status === 200) during = { accessToken: String(res.body!.accessToken), refreshToken: String(res.body!.refreshToken) }
          else loginFailures++
        } else if (!loggedOutDuring) {
          // A logout that failed leaves nothing revoked: start over with a new session.
          loggedOutDuring = await logout(during, 'during the cut')
          if (!loggedOutDuring) during = undefined
        }
        // Sampling through the outage, not waiting for an outcome.
        await delay(500)
      }
      notes.push(`the token logged out before the cut was checked ${checks} times during it`)
      for (const [status, count] of accepted) problems.push(`during the cut, a token logged out before it answered ${status} (not 401) ${count} times`)
      if (loginFailures > 0) notes.push(`${loginFailures} probe logins failed during the cut`)
      if (!loggedOutDuring) problems.push('no login and logout succeeded during the Redis cut, so nothing was revoked during it')
    },
    async afterRestore (): Promise<void> {
      const restoredAt = Date.now()
      if (during && loggedOutDuring) {
        if (await refusedWithin(during.accessToken, PROPAGATION_MS)) notes.push(`the token logged out during the cut was refused ${Date.now() - restoredAt} ms after Redis returned`)
        else problems.push(`a token logged out during the cut was still accepted ${PROPAGATION_MS} ms after Redis returned`)
      }
      if (before && !await refusedWithin(before.accessToken, PROPAGATION_MS)) {
        problems.push('a token logged out before the cut was accepted again after Redis returned')
      }
    }
  }
}

export type RevocationProbe = ReturnType<typeof createRevocationProbe>
