import { useState } from 'react'
import { useNavigate } from 'react-router'
import type { components } from '@app/client'
import { client } from '../../api.ts'
import type { Problem } from '../../problem.ts'
import { useSession } from '../../session.tsx'
import { finishSignIn } from '../return-to.ts'

export type TokenPair = components['schemas']['TokenPair']
export type MfaChallenge = components['schemas']['MfaChallenge']

/** A first factor's answer: the pair, or the two-step challenge to answer. */
export const isChallenge = (answer: TokenPair | MfaChallenge): answer is MfaChallenge => 'mfaRequired' in answer && answer.mfaRequired

/** The account an access token names (its `sub`), read without checking it: only to compare with the session here. */
export function subjectOf (accessToken: string): string | undefined {
  try {
    const payload = accessToken.split('.')[1] ?? ''
    const json = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as { sub?: unknown }
    return typeof json.sub === 'string' ? json.sub : undefined
  } catch {
    return undefined
  }
}

/**
 * Keeps the pair, reads the user, then goes on to `target` (another origin with a one-time code). `handoffProblem`
 * is set when the handoff to another origin was refused: the person is signed in here and the page says so.
 * With `askBeforeSwitch`, a pair of another account than the one signed in here is held in `pendingSwitch` until
 * the person says to switch (`confirmSwitch`) or to stay (`declineSwitch`).
 */
export function useCompleteSignIn (target: string | undefined, options: { askBeforeSwitch?: boolean } = {}) {
  const navigate = useNavigate()
  const { state, refresh } = useSession()
  const [handoffProblem, setHandoffProblem] = useState<Problem | undefined>()
  const [done, setDone] = useState(false)
  const [pendingSwitch, setPendingSwitch] = useState<{ pair: TokenPair, current: string } | undefined>()
  async function keep (pair: TokenPair): Promise<void> {
    setDone(true)
    setPendingSwitch(undefined)
    await client.signIn(pair)
    await refresh()
    setHandoffProblem(await finishSignIn(navigate, target))
  }
  async function complete (pair: TokenPair): Promise<void> {
    if (options.askBeforeSwitch && state.status === 'signed-in' && subjectOf(pair.accessToken) !== state.user.id) {
      setPendingSwitch({ pair, current: state.user.email ?? state.user.phone ?? state.user.id })
      return
    }
    await keep(pair)
  }
  const confirmSwitch = async () => { if (pendingSwitch) await keep(pendingSwitch.pair) }
  const declineSwitch = () => {
    // The other account's new session is ended at once, not left to expire.
    if (pendingSwitch) client.POST('/api/v1/auth/logout', { body: { refreshToken: pendingSwitch.pair.refreshToken } }).catch(() => {})
    setPendingSwitch(undefined)
    navigate('/account', { replace: true })
  }
  return { complete, handoffProblem, done, pendingSwitch, confirmSwitch, declineSwitch }
}

/** The host a target names, for "you will continue to …". */
export const hostOf = (target: string) => new URL(target, globalThis.location.origin).host
