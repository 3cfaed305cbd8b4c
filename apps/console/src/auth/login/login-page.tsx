import { useState } from 'react'
import { Link, useLocation, useNavigate } from 'react-router'
import { client } from '../../api.ts'
import { useT } from '../../i18n.tsx'
import { call } from '../../problem.ts'
import type { Problem } from '../../problem.ts'
import { useSession } from '../../session.tsx'
import { Button } from '../../ui/button.tsx'
import { Field } from '../../ui/field.tsx'
import { AuthLayout } from '../../ui/layout.tsx'
import { Notice, ProblemAlert } from '../../ui/problem-alert.tsx'
import { Loading } from '../../ui/states.tsx'
import { useSubmit } from '../../ui/use-submit.ts'
import { checkEmail, checkPhone, checkRequired, collect } from '../../ui/validate.ts'
import { callbackUrl, finishSignIn, isOtherOrigin, useHostedConfig, useReturnTo } from '../return-to.ts'
import type { HostedConfig } from '../return-to.ts'
import { usePageReturn, withReturn } from '../return-link.ts'
import { ChallengeForm } from './challenge-form.tsx'
import { MagicLinkForm } from './magic-link-form.tsx'
import { PhoneCodeForm } from './phone-code-form.tsx'
import { hostOf, isChallenge, useCompleteSignIn } from './sign-in.ts'
import type { MfaChallenge, TokenPair } from './sign-in.ts'
import { ceremonyProblem, getPasskey, passkeysSupported } from './webauthn.ts'
import { KeyIcon, MailIcon, PhoneIcon, ProviderIcon } from './icons.tsx'
import './login.css'

type View = 'password' | 'phone' | 'link'

/** Words for the refusals a sign-in form meets most; anything else is the API's own title and detail. */
function signInProblem (problem: Problem | undefined, t: ReturnType<typeof useT>): Problem | undefined {
  if (problem?.code === 'invalid_credentials') return { ...problem, title: t('auth.login.invalidCredentials'), detail: undefined }
  if (problem?.code === 'account_disabled') return { ...problem, title: t('auth.login.disabled'), detail: undefined }
  return problem
}

function PasswordForm ({ onAnswer }: { onAnswer: (answer: TokenPair | MfaChallenge) => Promise<void> }) {
  const t = useT()
  const [identifier, setIdentifier] = useState('')
  const [password, setPassword] = useState('')
  const { busy, problem, fields, submit } = useSubmit()

  async function send (event: React.FormEvent) {
    event.preventDefault()
    const value = identifier.trim()
    const phone = value.startsWith('+')
    const checks = collect({
      identifier: phone ? checkPhone(t, value) : checkEmail(t, value),
      password: checkRequired(t, password)
    })
    const body = phone ? { phone: value, password } : { email: value, password }
    const outcome = await submit(checks, () => call(client.POST('/api/v1/auth/login', { body })))
    if (outcome?.ok) await onAnswer(outcome.data)
  }

  return (
    <form noValidate onSubmit={(event) => { send(event).catch(() => {}) }} aria-describedby={problem ? 'login-problem' : undefined}>
      <ProblemAlert problem={signInProblem(problem, t)} id='login-problem' />
      <Field
        label={t('auth.login.identifier')}
        name='identifier'
        value={identifier}
        onChange={event => setIdentifier(event.target.value)}
        error={fields.identifier ?? fields.email ?? fields.phone}
        hint={t('auth.login.identifierHint')}
        autoComplete='username'
        inputMode='email'
        autoFocus
        required
      />
      <Field
        label={t('auth.login.password')}
        name='password'
        type='password'
        value={password}
        onChange={event => setPassword(event.target.value)}
        error={fields.password}
        autoComplete='current-password'
        required
      />
      <Button type='submit' className='button-block' busy={busy}>{t('auth.login.submit')}</Button>
    </form>
  )
}

/** The other ways in: a passkey, an emailed link, a texted code, the identity providers; each only when it works here. */
function Alternatives ({ config, target, onAnswer, onView }: { config: HostedConfig, target: string | undefined, onAnswer: (answer: TokenPair | MfaChallenge) => Promise<void>, onView: (view: View) => void }) {
  const t = useT()
  const [busy, setBusy] = useState(false)
  const [problem, setProblem] = useState<Problem | undefined>()
  const linkBack = callbackUrl(config, 'magic-link', target)
  const oidcBack = callbackUrl(config, 'oidc', target)
  const passkeys = config.passkeys && passkeysSupported()

  async function withPasskey () {
    setBusy(true)
    setProblem(undefined)
    try {
      const options = await call(client.POST('/api/v1/auth/passkeys/login/options'))
      if (!options.ok) return setProblem(options.problem)
      let credential
      try {
        credential = await getPasskey(options.data as Record<string, unknown>)
      } catch (err) {
        return setProblem({ ...ceremonyProblem(err), title: t('auth.login.passkeyCancelled') })
      }
      const answer = await call(client.POST('/api/v1/auth/passkeys/login', { body: credential as never }))
      if (!answer.ok) return setProblem(signInProblem(answer.problem, t))
      await onAnswer(answer.data as TokenPair | MfaChallenge)
    } finally {
      setBusy(false)
    }
  }

  const offers = passkeys || linkBack || config.sms || (oidcBack && config.oidcProviders.length > 0)
  if (!offers) return null
  return (
    <>
      <div className='divider'>{t('auth.login.or')}</div>
      <ProblemAlert problem={problem} />
      <div className='login-alternatives'>
        {passkeys ? <Button tone='secondary' className='button-block' busy={busy} onClick={() => { withPasskey().catch(() => {}) }}><KeyIcon />{t('auth.login.withPasskey')}</Button> : null}
        {linkBack ? <Button tone='secondary' className='button-block' onClick={() => onView('link')}><MailIcon />{t('auth.login.withLink')}</Button> : null}
        {config.sms ? <Button tone='secondary' className='button-block' onClick={() => onView('phone')}><PhoneIcon />{t('auth.login.withCode')}</Button> : null}
        {oidcBack
          ? config.oidcProviders.map(provider => (
            <a key={provider.id} className='button button-secondary button-block' href={`/api/v1/auth/oidc/${encodeURIComponent(provider.id)}/start?redirectTo=${encodeURIComponent(oidcBack)}`}>
              <ProviderIcon />{t('auth.login.withProvider', { name: provider.name })}
            </a>
          ))
          : null}
      </div>
    </>
  )
}

/** Someone already signed in, sent here by an app: continue as them, or switch. */
function SignedIn ({ who, target, onContinue }: { who: string, target: string | undefined, onContinue: () => Promise<void> }) {
  const t = useT()
  const { signOut } = useSession()
  const [busy, setBusy] = useState(false)
  return (
    <div className='stack'>
      <p>{t('auth.login.signedInAs', { who })}</p>
      <div className='login-alternatives'>
        <Button className='button-block' busy={busy} onClick={() => { setBusy(true); onContinue().finally(() => setBusy(false)) }}>
          {target && isOtherOrigin(target) ? t('auth.login.continueToHost', { host: hostOf(target) }) : t('auth.login.continue')}
        </Button>
        <Button tone='secondary' className='button-block' onClick={() => { signOut().catch(() => {}) }}>{t('auth.login.switch')}</Button>
      </div>
    </div>
  )
}

/**
 * /auth/login: email or phone with a password, a texted code, a passkey, an emailed link or an identity provider;
 * then the two-step challenge when the account has one. Success goes to an allowed `redirectTo`, else /account.
 */
export function LoginPage () {
  const t = useT()
  // From the router, so a navigation to this page while it is shown (?deleted=1 after a sign-out) renders again.
  const params = new URLSearchParams(useLocation().search)
  const ret = useReturnTo()
  // The links to sign-up and forgot-password keep the checked target and the app's codeChallenge (while the
  // allow-list loads, the address's own: the next page checks it again).
  const pageReturn = usePageReturn()
  const onward = { ...pageReturn, redirectTo: ret.checking ? pageReturn.redirectTo : ret.target }
  const config = useHostedConfig()
  const { state, signOut } = useSession()
  const [reconfirm, setReconfirm] = useState(false)
  const [view, setView] = useState<View>('password')
  const [challenge, setChallenge] = useState<MfaChallenge | undefined>()
  const { complete, handoffProblem, done } = useCompleteSignIn(ret.target)
  const [continueProblem, setContinueProblem] = useState<Problem | undefined>()
  const navigate = useNavigate()

  async function onAnswer (answer: TokenPair | MfaChallenge) {
    if (isChallenge(answer)) return setChallenge(answer)
    await complete(answer)
  }

  const restart = () => { setChallenge(undefined); setView('password') }
  const notices = (
    <>
      {params.get('ended') === '1' && !done ? <Notice tone='warning'>{t('auth.login.ended')}</Notice> : null}
      {params.get('reset') === '1' && !done ? <Notice tone='success'>{t('auth.login.reset')}</Notice> : null}
      {params.get('deleted') === '1' && !done ? <Notice tone='success'>{t('auth.login.deleted')}</Notice> : null}
      {ret.refused ? <div className='alert alert-warning' role='alert' data-code='redirect_refused'><p>{t(ret.problem ? 'auth.login.unchecked' : 'auth.login.refused', { url: ret.asked ?? '' })}</p></div> : null}
      {reconfirm && state.status !== 'signed-in' ? <Notice>{t('auth.login.reconfirm')}</Notice> : null}
      {ret.target && isOtherOrigin(ret.target) && !challenge && state.status !== 'signed-in' ? <p className='muted small'>{t('auth.login.continueTo', { host: hostOf(ret.target) })}</p> : null}
    </>
  )

  if (handoffProblem && ret.target) {
    return (
      <AuthLayout title={t('auth.login.title')}>
        <div className='alert alert-error' role='alert' data-code={handoffProblem.code}>
          <p>{t('auth.login.handoffFailed', { host: hostOf(ret.target) })}</p>
        </div>
        <ProblemAlert problem={handoffProblem} />
        <p><Link to='/account'>{t('auth.login.toAccount')}</Link></p>
      </AuthLayout>
    )
  }

  let body
  if (ret.checking || !config) body = <Loading label={ret.asked ? t('auth.login.checking') : undefined} />
  else if (state.status === 'signed-in' && !done && !challenge) {
    body = (
      <>
        <ProblemAlert problem={continueProblem} />
        <SignedIn
          who={state.user.email ?? state.user.phone ?? state.user.id}
          target={ret.target}
          onContinue={async () => {
            const problem = await finishSignIn(navigate, ret.target)
            // An older sign-in cannot start the app's session: the person proves it again with a fresh sign-in.
            if (problem?.code === 'reauth_required') {
              setReconfirm(true)
              await signOut()
            } else setContinueProblem(problem)
          }}
        />
      </>
    )
  } else if (challenge) body = <ChallengeForm challenge={challenge} onPair={complete} onRestart={restart} />
  else if (view === 'phone') body = <PhoneCodeForm onPair={complete} onBack={() => setView('password')} />
  else if (view === 'link' && config.ok) body = <MagicLinkForm config={config.data} target={ret.target} onBack={() => setView('password')} />
  else {
    body = (
      <>
        <p className='muted'>{t('auth.login.lead')}</p>
        <PasswordForm onAnswer={onAnswer} />
        <p className='login-forgot'><Link to={withReturn('/auth/forgot', onward)}>{t('auth.login.forgot')}</Link></p>
        {config.ok ? <Alternatives config={config.data} target={ret.target} onAnswer={onAnswer} onView={setView} /> : null}
        <p className='login-signup'><Link to={withReturn('/auth/signup', onward)}>{t('auth.login.signup')}</Link></p>
      </>
    )
  }

  return (
    <AuthLayout title={t('auth.login.title')}>
      {notices}
      {body}
    </AuthLayout>
  )
}
