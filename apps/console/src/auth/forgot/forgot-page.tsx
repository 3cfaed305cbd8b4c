import { useState } from 'react'
import type { FormEvent } from 'react'
import { Link } from 'react-router'
import { client } from '../../api.ts'
import { useT } from '../../i18n.tsx'
import { call } from '../../problem.ts'
import { Button } from '../../ui/button.tsx'
import { Field } from '../../ui/field.tsx'
import { AuthLayout } from '../../ui/layout.tsx'
import { Notice } from '../../ui/problem-alert.tsx'
import { checkEmail, checkPhone, collect } from '../../ui/validate.ts'
import { Choice, DevInboxLink, FlowProblem, OutcomePanel, ReturnRefused } from '../signup/flow-ui.tsx'
import type { Channel } from '../signup/flow-ui.tsx'
import { rememberReturn, useFlowForm } from '../signup/flow.ts'
import { usePageReturn, withReturn } from '../return-link.ts'

type Method = 'link' | 'otp'

/** What the reset page is handed when a code was asked for, so the person need not type the address again. */
export interface ResetHandoff { channel: Channel, address: string }

/**
 * Forgot password (POST /api/v1/password/forgot): a link or a code to the
 * account's email or phone. The API answers the same whether or not the
 * account exists, and so does this page.
 */
export function ForgotPage () {
  const t = useT()
  const pageReturn = usePageReturn()
  const form = useFlowForm()
  const [channel, setChannel] = useState<Channel>('email')
  const [method, setMethod] = useState<Method>('link')
  const [address, setAddress] = useState('')
  const [sent, setSent] = useState<{ channel: Channel, method: Method, address: string } | undefined>()
  const [again, setAgain] = useState(false)

  async function send (event?: FormEvent) {
    event?.preventDefault()
    const request = sent ?? { channel, method, address: address.trim() }
    const checks = sent ? {} : collect({ [channel]: channel === 'email' ? checkEmail(t, request.address) : checkPhone(t, request.address) })
    const body = { [request.channel]: request.address, method: request.method }
    const outcome = await form.submit(checks, () => call(client.POST('/api/v1/password/forgot', { body })))
    if (!outcome?.ok) return
    if (request.method === 'link') rememberReturn('reset', pageReturn)
    setAgain(sent !== undefined)
    setSent(request)
  }

  if (sent) {
    const handoff: ResetHandoff = { channel: sent.channel, address: sent.address }
    return (
      <AuthLayout title={t(sent.channel === 'email' ? 'auth.forgot.sentTitleEmail' : 'auth.forgot.sentTitlePhone')}>
        <OutcomePanel tone='info' icon={sent.channel === 'email' ? '✉' : '✆'}>
          <p>{t(sent.method === 'link' ? 'auth.forgot.sentLink' : 'auth.forgot.sentCode', { address: sent.address })}</p>
          <p className='muted small'>{t('auth.forgot.nothing')}</p>
          {again ? <Notice tone='success'>{t('auth.forgot.sentAgain')}</Notice> : null}
          <FlowProblem problem={form.problem} />
          <div className='actions'>
            {sent.method === 'otp'
              ? <Link className='button button-primary' to={withReturn('/auth/reset', pageReturn)} state={handoff}>{t('auth.forgot.enterCode')}</Link>
              : null}
            <Button tone='secondary' busy={form.busy} onClick={() => { send().catch(() => {}) }}>{t('auth.forgot.again')}</Button>
            <button type='button' className='link-button' onClick={() => { setSent(undefined); setAgain(false); form.setProblem(undefined) }}>{t('auth.forgot.other')}</button>
          </div>
          <DevInboxLink to={sent.address} />
        </OutcomePanel>
        <p className='auth-footer'><Link to={withReturn('/auth/login', pageReturn)}>{t('auth.flow.backToSignIn')}</Link></p>
      </AuthLayout>
    )
  }

  const label = t(channel === 'email' ? 'auth.flow.emailLabel' : 'auth.flow.phoneLabel')
  return (
    <AuthLayout title={t('auth.forgot.title')}>
      <ReturnRefused />
      <p className='auth-lead'>{t('auth.forgot.lead')}</p>
      <form noValidate onSubmit={e => { send(e).catch(() => {}) }}>
        <FlowProblem problem={form.problem} />
        <Choice
          legend={t('auth.forgot.channel')} value={channel} onChange={next => { setChannel(next); setAddress(''); form.setFields({}) }}
          options={[{ value: 'email', label: t('auth.flow.email') }, { value: 'phone', label: t('auth.flow.phone') }]}
        />
        <Field
          key={channel} label={label} name={channel} type={channel === 'email' ? 'email' : 'tel'} autoComplete={channel === 'email' ? 'email' : 'tel'}
          required hint={channel === 'phone' ? t('auth.flow.phoneHint') : undefined} value={address} onChange={e => setAddress(e.target.value)} error={form.error(channel, label)}
        />
        <Choice
          legend={t('auth.forgot.method')} value={method} onChange={setMethod}
          options={[{ value: 'link', label: t('auth.forgot.link') }, { value: 'otp', label: t('auth.forgot.code') }]}
        />
        <Button type='submit' busy={form.busy} className='button-block'>{t('auth.forgot.submit')}</Button>
      </form>
      <p className='auth-footer'>
        {t('auth.forgot.haveCode')} <Link to={withReturn('/auth/reset', pageReturn)}>{t('auth.forgot.enterItHere')}</Link>
        <br />
        <Link to={withReturn('/auth/login', pageReturn)}>{t('auth.flow.backToSignIn')}</Link>
      </p>
    </AuthLayout>
  )
}
