import { useEffect, useRef, useState } from 'react'
import { Link } from 'react-router'
import { client } from '../../api.ts'
import { useT } from '../../i18n.tsx'
import { call } from '../../problem.ts'
import type { Outcome, Problem } from '../../problem.ts'
import { AuthLayout } from '../../ui/layout.tsx'
import { ProblemAlert } from '../../ui/problem-alert.tsx'
import { Loading } from '../../ui/states.tsx'
import { useReturnTo } from '../return-to.ts'
import { ChallengeForm } from './challenge-form.tsx'
import { hostOf, isChallenge, useCompleteSignIn } from './sign-in.ts'
import type { MfaChallenge, TokenPair } from './sign-in.ts'
import './login.css'

type Exchange = Outcome<TokenPair | MfaChallenge>

/** The one-time code of the return address, traded once (it is taken out of the address first, so a reload cannot spend it twice). */
function exchange (method: string | null, code: string): Promise<Exchange> {
  if (method === 'magic-link') return call(client.POST('/api/v1/auth/magic-link/verify', { body: { code } })) as Promise<Exchange>
  return call(client.POST('/api/v1/auth/oidc/exchange', { body: { code } })) as Promise<Exchange>
}

/**
 * /auth/callback: where an emailed link's page and an identity provider send the browser back with `code` (or
 * `error`): the code becomes the session, then the two-step challenge if the account has one, then `redirectTo`.
 */
export function CallbackPage () {
  const t = useT()
  const ret = useReturnTo()
  const { complete, handoffProblem } = useCompleteSignIn(ret.target)
  const [problem, setProblem] = useState<Problem | undefined>()
  const [challenge, setChallenge] = useState<MfaChallenge | undefined>()
  const started = useRef(false)

  useEffect(() => {
    if (started.current || ret.checking) return
    started.current = true
    const params = new URLSearchParams(globalThis.location.search)
    const code = params.get('code')
    const error = params.get('error')
    const description = params.get('error_description')
    for (const name of ['code', 'error', 'error_description']) params.delete(name)
    globalThis.history.replaceState(null, '', `${globalThis.location.pathname}?${params.toString()}`)
    if (error) {
      setProblem({ status: 400, code: error, title: t('auth.callback.providerError', { reason: description ?? error }) })
      return
    }
    if (!code) {
      setProblem({ status: 400, code: 'code_missing', title: t('auth.callback.missing') })
      return
    }
    exchange(params.get('method'), code).then(async (outcome) => {
      if (!outcome.ok) return setProblem(outcome.problem)
      if (isChallenge(outcome.data)) return setChallenge(outcome.data)
      await complete(outcome.data)
    }).catch(() => {})
  }, [ret.checking])

  const again = <p><Link to={ret.target ? `/auth/login?redirectTo=${encodeURIComponent(ret.target)}` : '/auth/login'}>{t('auth.callback.again')}</Link></p>
  let body
  if (problem || handoffProblem) {
    body = (
      <>
        <h2>{t('auth.callback.failed')}</h2>
        {handoffProblem && ret.target ? <p>{t('auth.login.handoffFailed', { host: hostOf(ret.target) })}</p> : null}
        <ProblemAlert problem={problem ?? handoffProblem} />
        {again}
      </>
    )
  } else if (challenge) {
    body = <ChallengeForm challenge={challenge} onPair={complete} onRestart={() => { globalThis.location.assign('/auth/login') }} />
  } else body = <Loading label={t('auth.callback.working')} />
  return <AuthLayout title={t('auth.callback.title')}>{ret.refused ? <div className='alert alert-warning' role='alert'><p>{t('auth.login.refused', { url: ret.asked ?? '' })}</p></div> : null}{body}</AuthLayout>
}
