import { useState } from 'react'
import type { FormEvent } from 'react'
import { Link, useNavigate } from 'react-router'
import { client } from '../../api.ts'
import { useT } from '../../i18n.tsx'
import { call } from '../../problem.ts'
import { useSession } from '../../session.tsx'
import { Button } from '../../ui/button.tsx'
import { Field } from '../../ui/field.tsx'
import { AuthLayout } from '../../ui/layout.tsx'
import { Notice } from '../../ui/problem-alert.tsx'
import { checkEmail, collect } from '../../ui/validate.ts'
import { finishWithOutcome, useReturnTo } from '../return-to.ts'
import { DevInboxLink, FlowProblem, OutcomePanel, ReturnRefused } from '../signup/flow-ui.tsx'
import { rememberReturn, useFlowForm, useLinkToken } from '../signup/flow.ts'
import { usePageReturn, withReturn } from '../return-link.ts'

/** "Send a new link" (POST /api/v1/email-verification/send): the same answer whatever the address. */
function ResendLink () {
  const t = useT()
  const pageReturn = usePageReturn()
  const { state } = useSession()
  const form = useFlowForm()
  const [email, setEmail] = useState(state.status === 'signed-in' ? state.user.email ?? '' : '')
  const [sentTo, setSentTo] = useState<string | undefined>()

  async function onSubmit (event: FormEvent) {
    event.preventDefault()
    setSentTo(undefined)
    const address = email.trim()
    const outcome = await form.submit(collect({ email: checkEmail(t, address) }), () => call(client.POST('/api/v1/email-verification/send', { body: { email: address } })))
    if (!outcome?.ok) return
    rememberReturn('verify-email', pageReturn)
    setSentTo(address)
  }

  return (
    <section className='resend' aria-labelledby='resend-title'>
      <h2 id='resend-title'>{t('auth.verifyEmail.resendTitle')}</h2>
      {sentTo ? <Notice tone='success'>{t('auth.verifyEmail.resent')}</Notice> : null}
      <FlowProblem problem={form.problem} />
      <form noValidate onSubmit={e => { onSubmit(e).catch(() => {}) }}>
        <Field label={t('auth.flow.emailLabel')} name='email' type='email' autoComplete='email' required value={email} onChange={e => setEmail(e.target.value)} error={form.error('email', t('auth.flow.emailLabel'))} />
        <Button type='submit' tone='secondary' busy={form.busy} className='button-block'>{t('auth.verifyEmail.resendSubmit')}</Button>
      </form>
      {sentTo ? <DevInboxLink to={sentTo} /> : null}
    </section>
  )
}

/**
 * The page a verification link opens (API.md: the scanner-safe confirm page).
 * Opening it spends nothing: mail scanners fetch links before people do. Only
 * the button posts the token (POST /api/v1/email-verification/verify); then
 * the page says it worked, or why not with a way to get a new link.
 */
export function VerifyEmailPage () {
  const t = useT()
  const navigate = useNavigate()
  const pageReturn = usePageReturn()
  const { target } = useReturnTo()
  const { state, refresh } = useSession()
  const token = useLinkToken('verify-email')
  const form = useFlowForm()
  const [verified, setVerified] = useState<string | undefined>()

  async function confirm (event: FormEvent) {
    event.preventDefault()
    const outcome = await form.submit({}, () => call(client.POST('/api/v1/email-verification/verify', { body: { token: token! } })))
    if (!outcome?.ok) return
    if (state.status === 'signed-in') await refresh()
    if (target) return finishWithOutcome(navigate, target, 'email_verified', '/account')
    setVerified(outcome.data.email)
  }

  const signedIn = state.status === 'signed-in'
  if (verified) {
    return (
      <AuthLayout title={t('auth.verifyEmail.doneTitle')}>
        <OutcomePanel tone='success' icon='✓'>
          <p>{t('auth.verifyEmail.doneText', { email: verified })}</p>
          <div className='actions'>
            {signedIn
              ? <Link className='button button-primary' to='/account'>{t('auth.verifyEmail.toAccount')}</Link>
              : <Link className='button button-primary' to={withReturn('/auth/login', pageReturn)}>{t('auth.flow.signIn')}</Link>}
          </div>
        </OutcomePanel>
      </AuthLayout>
    )
  }

  const code = form.problem?.code
  if (code === 'verification_token_invalid' || code === 'verification_email_changed') {
    const changed = code === 'verification_email_changed'
    return (
      <AuthLayout title={t(changed ? 'auth.verifyEmail.changedTitle' : 'auth.verifyEmail.deadTitle')}>
        <OutcomePanel tone='error' icon='!'>
          <p>{t(changed ? 'auth.verifyEmail.changedText' : 'auth.verifyEmail.deadText')}</p>
          <p><Link to={signedIn ? '/account' : withReturn('/auth/login', pageReturn)}>{signedIn ? t('auth.verifyEmail.toAccount') : t('auth.flow.signIn')}</Link></p>
        </OutcomePanel>
        <ResendLink />
      </AuthLayout>
    )
  }

  if (!token) {
    return (
      <AuthLayout title={t('auth.verifyEmail.title')}>
        <p className='auth-lead'>{t('auth.verifyEmail.noToken')}</p>
        <ResendLink />
      </AuthLayout>
    )
  }

  return (
    <AuthLayout title={t('auth.verifyEmail.title')}>
      <ReturnRefused />
      <form noValidate onSubmit={e => { confirm(e).catch(() => {}) }}>
        <p>{t('auth.verifyEmail.lead')}</p>
        <p className='muted small'>{t('auth.verifyEmail.why')}</p>
        <FlowProblem problem={form.problem} />
        <Button type='submit' busy={form.busy} className='button-block'>{t('auth.verifyEmail.confirm')}</Button>
      </form>
    </AuthLayout>
  )
}
