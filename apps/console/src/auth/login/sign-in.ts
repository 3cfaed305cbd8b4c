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

/**
 * Keeps the pair, reads the user, then goes on to `target` (another origin with a one-time code). `handoffProblem`
 * is set when the handoff to another origin was refused: the person is signed in here and the page says so.
 */
export function useCompleteSignIn (target: string | undefined) {
  const navigate = useNavigate()
  const { refresh } = useSession()
  const [handoffProblem, setHandoffProblem] = useState<Problem | undefined>()
  const [done, setDone] = useState(false)
  async function complete (pair: TokenPair): Promise<void> {
    setDone(true)
    await client.signIn(pair)
    await refresh()
    setHandoffProblem(await finishSignIn(navigate, target))
  }
  return { complete, handoffProblem, done }
}

/** The host a target names, for "you will continue to …". */
export const hostOf = (target: string) => new URL(target, globalThis.location.origin).host
