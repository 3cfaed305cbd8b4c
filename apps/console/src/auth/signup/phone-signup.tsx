import { useState } from 'react'
import type { FormEvent } from 'react'
import { useNavigate } from 'react-router'
import { client } from '../../api.ts'
import { useT } from '../../i18n.tsx'
import type { Translate } from '../../i18n.tsx'
import { call } from '../../problem.ts'
import { useSession } from '../../session.tsx'
import { Button } from '../../ui/button.tsx'
import { Field } from '../../ui/field.tsx'
import { Notice } from '../../ui/problem-alert.tsx'
import { checkPhone, checkRequired, collect } from '../../ui/validate.ts'
import { finishSignIn, useReturnTo } from '../return-to.ts'
import { DevInboxLink, FlowProblem } from './flow-ui.tsx'
import { useFlowForm } from './flow.ts'

export const checkCode = (t: Translate, value: string) => checkRequired(t, value) ?? (/^\d{6}$/.test(value.trim()) ? undefined : t('auth.flow.codeFormat'))

/** The code field: digits, the phone's one-time-code autofill, read out as a code. */
export function CodeField ({ value, onChange, error, autoFocus = false }: { value: string, onChange: (value: string) => void, error: string | undefined, autoFocus?: boolean }) {
  const t = useT()
  return (
    <Field
      label={t('auth.flow.codeLabel')} name='otp' inputMode='numeric' autoComplete='one-time-code' maxLength={6} className='otp-input'
      hint={t('auth.flow.codeHint')} required autoFocus={autoFocus} value={value} onChange={e => onChange(e.target.value.replace(/\D/g, ''))} error={error}
    />
  )
}

/**
 * A phone number, then the code sent to it (POST /api/v1/auth/phone/signup,
 * then /phone/verify): the answer is a session, so the person is signed in.
 */
export function PhoneSignup ({ onCodeStep }: { onCodeStep: (awaiting: boolean) => void }) {
  const t = useT()
  const navigate = useNavigate()
  const { refresh } = useSession()
  const { target } = useReturnTo()
  const form = useFlowForm()
  const [phone, setPhone] = useState('')
  const [sentTo, setSentTo] = useState<string | undefined>()
  const [code, setCode] = useState('')
  const [resent, setResent] = useState(false)

  async function send (event?: FormEvent) {
    event?.preventDefault()
    setResent(false)
    const number = sentTo ?? phone.trim()
    const checks = sentTo ? {} : collect({ phone: checkPhone(t, number) })
    const outcome = await form.submit(checks, () => call(client.POST('/api/v1/auth/phone/signup', { body: { phone: number } })))
    if (!outcome?.ok) return
    if (sentTo) return setResent(true)
    setSentTo(number)
    onCodeStep(true)
  }

  async function verify (event: FormEvent) {
    event.preventDefault()
    const number = sentTo!
    const outcome = await form.submit(collect({ otp: checkCode(t, code) }), () => call(client.POST('/api/v1/auth/phone/verify', { body: { phone: number, otp: code.trim() } })))
    if (!outcome?.ok) return
    await client.signIn(outcome.data)
    await refresh()
    // Signed in either way; a refused handoff to the app's origin is said here (the account page still works).
    const refused = await finishSignIn(navigate, target)
    if (refused) form.setProblem(refused)
  }

  if (!sentTo) {
    return (
      <form noValidate onSubmit={e => { send(e).catch(() => {}) }}>
        <FlowProblem problem={form.problem} />
        <Field label={t('auth.flow.phoneLabel')} name='phone' type='tel' autoComplete='tel' required hint={t('auth.flow.phoneHint')} value={phone} onChange={e => setPhone(e.target.value)} error={form.error('phone', t('auth.flow.phoneLabel'))} />
        <Button type='submit' busy={form.busy} className='button-block'>{t('auth.signup.sendCode')}</Button>
      </form>
    )
  }
  return (
    <form noValidate onSubmit={e => { verify(e).catch(() => {}) }}>
      <p className='code-sent' role='status'>{t('auth.signup.codeSent', { phone: sentTo })}</p>
      {resent ? <Notice tone='success'>{t('auth.signup.codeResent')}</Notice> : null}
      <FlowProblem problem={form.problem} />
      <CodeField autoFocus value={code} onChange={setCode} error={form.error('otp', t('auth.flow.codeLabel'))} />
      <Button type='submit' busy={form.busy} className='button-block'>{t('auth.signup.confirmCode')}</Button>
      <p className='links'>
        <button type='button' className='link-button' disabled={form.busy} onClick={() => { send().catch(() => {}) }}>{t('auth.signup.resendCode')}</button>
        <button type='button' className='link-button' onClick={() => { setSentTo(undefined); setCode(''); form.setProblem(undefined); form.setFields({}); onCodeStep(false) }}>{t('auth.signup.otherNumber')}</button>
      </p>
      <DevInboxLink to={sentTo} />
    </form>
  )
}
