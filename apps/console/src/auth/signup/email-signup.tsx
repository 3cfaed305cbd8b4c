import { useState } from 'react'
import type { FormEvent } from 'react'
import { Link } from 'react-router'
import { client } from '../../api.ts'
import { useT } from '../../i18n.tsx'
import { call } from '../../problem.ts'
import { Button } from '../../ui/button.tsx'
import { Field } from '../../ui/field.tsx'
import { Notice } from '../../ui/problem-alert.tsx'
import { checkEmail, checkRequired, collect } from '../../ui/validate.ts'
import { DevInboxLink, FlowProblem, OutcomePanel } from './flow-ui.tsx'
import { rememberReturn, useFlowForm } from './flow.ts'
import { usePageReturn, withReturn } from '../return-link.ts'

/** At least 8 characters (code points, as the API counts them); the API checks the rest (common passwords). */
export const checkNewPassword = (t: ReturnType<typeof useT>, value: string) =>
  checkRequired(t, value) ?? ([...value.normalize('NFKC')].length < 8 ? t('auth.flow.passwordShortCheck') : undefined)

/** Email, password and an optional name: POST /api/v1/users/register. */
export function EmailSignup ({ onRegistered }: { onRegistered: (email: string) => void }) {
  const t = useT()
  const pageReturn = usePageReturn()
  const form = useFlowForm()
  const [name, setName] = useState('')
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')

  async function onSubmit (event: FormEvent) {
    event.preventDefault()
    const checks = collect({ email: checkEmail(t, email), password: checkNewPassword(t, password) })
    const body = { email: email.trim(), password, ...(name.trim() ? { name: name.trim() } : {}) }
    const outcome = await form.submit(checks, () => call(client.POST('/api/v1/users/register', { body })))
    if (!outcome?.ok) return
    rememberReturn('verify-email', pageReturn)
    onRegistered(outcome.data.email ?? email.trim())
  }

  const taken = form.problem?.status === 409
  return (
    <form noValidate onSubmit={e => { onSubmit(e).catch(() => {}) }}>
      {taken
        ? (
          <div className='alert alert-error' role='alert' data-code={form.problem?.code}>
            <p>{t('auth.signup.taken')}</p>
            <p className='row'>
              <Link to={withReturn('/auth/login', pageReturn)}>{t('auth.flow.signIn')}</Link>
              <Link to={withReturn('/auth/forgot', pageReturn)}>{t('auth.signup.forgot')}</Link>
            </p>
          </div>
          )
        : <FlowProblem problem={form.problem} />}
      <Field label={t('auth.signup.name')} name='name' autoComplete='name' hint={t('auth.signup.nameHint')} value={name} onChange={e => setName(e.target.value)} error={form.error('name', t('auth.signup.name'))} />
      <Field label={t('auth.flow.emailLabel')} name='email' type='email' autoComplete='email' required value={email} onChange={e => setEmail(e.target.value)} error={form.error('email', t('auth.flow.emailLabel'))} />
      <Field label={t('auth.signup.password')} name='password' type='password' autoComplete='new-password' required hint={t('auth.flow.passwordHint')} value={password} onChange={e => setPassword(e.target.value)} error={form.error('password', t('auth.signup.password'))} />
      <Button type='submit' busy={form.busy} className='button-block'>{t('auth.signup.submit')}</Button>
    </form>
  )
}

/** After an email sign-up: the link is on its way; sign in (allowed before confirming), or have it sent again. */
export function CheckInbox ({ email }: { email: string }) {
  const t = useT()
  const pageReturn = usePageReturn()
  const form = useFlowForm()
  const [resent, setResent] = useState(false)

  async function resend () {
    setResent(false)
    const outcome = await form.submit({}, () => call(client.POST('/api/v1/email-verification/send', { body: { email } })))
    if (!outcome?.ok) return
    rememberReturn('verify-email', pageReturn)
    setResent(true)
  }

  return (
    <OutcomePanel tone='info' icon='✉'>
      <p>{t('auth.signup.checkText')} <span className='address'>{email}</span>.</p>
      <p className='muted'>{t('auth.signup.checkMore')}</p>
      {resent ? <Notice tone='success'>{t('auth.signup.resent')}</Notice> : null}
      <FlowProblem problem={form.problem} />
      <div className='actions'>
        <Link className='button button-primary' to={withReturn('/auth/login', pageReturn)}>{t('auth.signup.continue')}</Link>
        <Button tone='secondary' busy={form.busy} onClick={() => { resend().catch(() => {}) }}>{t('auth.signup.resend')}</Button>
      </div>
      <DevInboxLink to={email} />
    </OutcomePanel>
  )
}
