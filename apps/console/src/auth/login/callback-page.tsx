import { useEffect, useRef, useState } from 'react'
import { Link } from 'react-router'
import { client } from '../../api.ts'
import { useT } from '../../i18n.tsx'
import { call } from '../../problem.ts'
import type { Outcome, Problem } from '../../problem.ts'
import { useSession } from '../../session.tsx'
import { AuthLayout } from '../../ui/layout.tsx'
import { ProblemAlert } from '../../ui/problem-alert.tsx'
import { Loading } from '../../ui/states.tsx'
import { takeSignInNonce, useReturnTo } from '../return-to.ts'
import { usePageReturn, withReturn } from '../return-link.ts'
import { Button } from '../../ui/button.tsx'
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

/** The `error` of the address as a code to show: only a plain identifier, never text someone put in the link. */
const errorCode = (error: string) => /^[a-z0-9_.-]{1,64}$/i.test(error) ? error : 'unknown_error'

/**
 * /auth/callback: where an emailed link's page and an identity provider send the browser back with `code` (or
 * `error`): the code becomes the session, then the two-step challenge if the account has one, then `redirectTo`.
 * A code is spent only when the address brings the nonce this browser kept when it started the sign-in
 * (callbackUrl), so a code from a sign-in started elsewhere is not pushed into this browser; and when someone
 * else is signed in here, the page asks before it replaces that session. `error_description` is never shown: it
 * is text anyone can put in a link, shown on this origin; the page says a fixed sentence and the error code.
 */
export function CallbackPage () {
  const t = useT()
  const ret = useReturnTo()
  const pageReturn = usePageReturn()
  const { complete, handoffProblem, pendingSwitch, confirmSwitch, declineSwitch } = useCompleteSignIn(ret.target, { askBeforeSwitch: true })
  const [problem, setProblem] = useState<Problem | undefined>()
  const [challenge, setChallenge] = useState<MfaChallenge | undefined>()
  // A code from a sign-in this browser did not start (a link opened on another device, or a link someone pushed
  // here): spent only after the person says it was them.
  const [foreign, setForeign] = useState<{ method: string | null, code: string } | undefined>()
  const started = useRef(false)

  const { state: session } = useSession()
  const sessionKnown = session.status !== 'loading'

  useEffect(() => {
    // Wait for the allow-list and for who is signed in here (to ask before replacing that session).
    if (started.current || ret.checking || !sessionKnown) return
    started.current = true
    const params = new URLSearchParams(globalThis.location.search)
    const code = params.get('code')
    const error = params.get('error')
    const nonce = params.get('nonce')
    for (const name of ['code', 'error', 'error_description', 'nonce']) params.delete(name)
    globalThis.history.replaceState(null, '', `${globalThis.location.pathname}?${params.toString()}`)
    if (error) {
      const shown = errorCode(error)
      setProblem({ status: 400, code: shown, title: t('auth.callback.providerError', { code: shown }) })
      return
    }
    if (!code) {
      setProblem({ status: 400, code: 'code_missing', title: t('auth.callback.missing') })
      return
    }
    if (!takeSignInNonce(nonce)) {
      setForeign({ method: params.get('method'), code })
      return
    }
    spend(params.get('method'), code)
  }, [ret.checking, sessionKnown])

  function spend (method: string | null, code: string) {
    exchange(method, code).then(async (outcome) => {
      if (!outcome.ok) return setProblem(outcome.problem)
      if (isChallenge(outcome.data)) return setChallenge(outcome.data)
      await complete(outcome.data)
    }).catch(() => {})
  }

  const again = <p><Link to={withReturn('/auth/login', { ...pageReturn, redirectTo: ret.checking ? pageReturn.redirectTo : ret.target })}>{t('auth.callback.again')}</Link></p>
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
  } else if (foreign) {
    body = (
      <>
        <div className='alert alert-warning' role='alert' data-code='sign_in_not_started_here'>
          <p>{t('auth.callback.notStartedHere')}</p>
        </div>
        <div className='actions'>
          <Button onClick={() => { const { method, code } = foreign; setForeign(undefined); spend(method, code) }}>{t('auth.callback.itWasMe')}</Button>
        </div>
        {again}
      </>
    )
  } else if (pendingSwitch) {
    body = (
      <>
        <h2>{t('auth.callback.switchTitle')}</h2>
        <p>{t('auth.callback.switchText', { current: pendingSwitch.current })}</p>
        <div className='actions'>
          <Button onClick={() => { confirmSwitch().catch(() => {}) }}>{t('auth.callback.switch')}</Button>
          <Button tone='secondary' onClick={declineSwitch}>{t('auth.callback.stay', { current: pendingSwitch.current })}</Button>
        </div>
      </>
    )
  } else if (challenge) {
    body = <ChallengeForm challenge={challenge} onPair={complete} onRestart={() => { globalThis.location.assign('/auth/login') }} />
  } else body = <Loading label={t('auth.callback.working')} />
  return <AuthLayout title={t('auth.callback.title')}>{ret.refused ? <div className='alert alert-warning' role='alert'><p>{t('auth.login.refused', { url: ret.asked ?? '' })}</p></div> : null}{body}</AuthLayout>
}
