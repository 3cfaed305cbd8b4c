import { useState } from 'react'
import type { FormEvent } from 'react'
import { Link, useLocation, useNavigate } from 'react-router'
import { client } from '../../api.ts'
import { useT } from '../../i18n.tsx'
import { call } from '../../problem.ts'
import { Button } from '../../ui/button.tsx'
import { Field } from '../../ui/field.tsx'
import { AuthLayout } from '../../ui/layout.tsx'
import { checkEmail, checkPhone, collect } from '../../ui/validate.ts'
import { finishWithOutcome, useReturnTo } from '../return-to.ts'
import type { ResetHandoff } from '../forgot/forgot-page.tsx'
import { checkNewPassword } from '../signup/email-signup.tsx'
import { Choice, FlowProblem, OutcomePanel, ReturnRefused } from '../signup/flow-ui.tsx'
import type { Channel } from '../signup/flow-ui.tsx'
import { useFlowForm, useLinkToken } from '../signup/flow.ts'
import { usePageReturn, withReturn } from '../return-link.ts'
import { CodeField, checkCode } from '../signup/phone-signup.tsx'

type Body = { newPassword: string } & ({ token: string } | { email: string, otp: string } | { phone: string, otp: string })

/**
 * Reset password (POST /api/v1/password/reset): with the link's token a new
 * password is all it takes; without one, the address, the code that was sent
 * to it and the new password. Success returns to the app with
 * `outcome=password_reset`, or goes to the login page.
 */
export function ResetPage () {
  const t = useT()
  const navigate = useNavigate()
  const location = useLocation()
  const pageReturn = usePageReturn()
  const { target } = useReturnTo()
  const token = useLinkToken('reset')
  const handoff = location.state as Partial<ResetHandoff> | null
  const form = useFlowForm()
  const [channel, setChannel] = useState<Channel>(handoff?.channel ?? 'email')
  const [address, setAddress] = useState(handoff?.address ?? '')
  const [code, setCode] = useState('')
  const [password, setPassword] = useState('')

  async function onSubmit (event: FormEvent) {
    event.preventDefault()
    const checks = collect(token
      ? { newPassword: checkNewPassword(t, password) }
      : {
          [channel]: channel === 'email' ? checkEmail(t, address) : checkPhone(t, address),
          otp: checkCode(t, code),
          newPassword: checkNewPassword(t, password)
        })
    const body: Body = token
      ? { token, newPassword: password }
      : { ...(channel === 'email' ? { email: address.trim() } : { phone: address.trim() }), otp: code.trim(), newPassword: password }
    const outcome = await form.submit(checks, () => call(client.POST('/api/v1/password/reset', { body })))
    if (outcome?.ok) finishWithOutcome(navigate, target, 'password_reset', '/auth/login?reset=1')
  }

  if (token && form.problem?.code === 'reset_token_invalid') {
    return (
      <AuthLayout title={t('auth.reset.deadTitle')}>
        <OutcomePanel tone='error' icon='!'>
          <p>{t('auth.reset.deadText')}</p>
          <div className='actions'>
            <Link className='button button-primary' to={withReturn('/auth/forgot', pageReturn)}>{t('auth.reset.askLink')}</Link>
          </div>
        </OutcomePanel>
        <p className='auth-footer'><Link to={withReturn('/auth/login', pageReturn)}>{t('auth.flow.backToSignIn')}</Link></p>
      </AuthLayout>
    )
  }

  const addressLabel = t(channel === 'email' ? 'auth.flow.emailLabel' : 'auth.flow.phoneLabel')
  return (
    <AuthLayout title={t('auth.reset.title')}>
      <ReturnRefused />
      <p className='auth-lead'>{t(token ? 'auth.reset.leadLink' : 'auth.reset.leadCode')}</p>
      <form noValidate onSubmit={e => { onSubmit(e).catch(() => {}) }}>
        <FlowProblem problem={form.problem} />
        {token
          ? null
          : (
            <>
              <Choice
                legend={t('auth.reset.channel')} value={channel} onChange={next => { setChannel(next); setAddress(''); form.setFields({}) }}
                options={[{ value: 'email', label: t('auth.flow.email') }, { value: 'phone', label: t('auth.flow.phone') }]}
              />
              <Field
                key={channel} label={addressLabel} name={channel} type={channel === 'email' ? 'email' : 'tel'} autoComplete={channel === 'email' ? 'username' : 'tel'}
                required value={address} onChange={e => setAddress(e.target.value)} error={form.error(channel, addressLabel)}
              />
              <CodeField value={code} onChange={setCode} error={form.error('otp', t('auth.flow.codeLabel'))} />
            </>
            )}
        <Field
          label={t('auth.reset.newPassword')} name='newPassword' type='password' autoComplete='new-password' required hint={t('auth.flow.passwordHint')}
          value={password} onChange={e => setPassword(e.target.value)} error={form.error('newPassword', t('auth.reset.newPassword'))}
        />
        <Button type='submit' busy={form.busy} className='button-block'>{t('auth.reset.submit')}</Button>
      </form>
      <p className='auth-footer'>
        {token ? null : <>{t('auth.reset.noCode')} <Link to={withReturn('/auth/forgot', pageReturn)}>{t('auth.reset.askCode')}</Link><br /></>}
        <Link to={withReturn('/auth/login', pageReturn)}>{t('auth.flow.backToSignIn')}</Link>
      </p>
    </AuthLayout>
  )
}
