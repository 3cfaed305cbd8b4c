import { useState } from 'react'
import { client } from '../../api.ts'
import { useT } from '../../i18n.tsx'
import { call } from '../../problem.ts'
import { Button } from '../../ui/button.tsx'
import { Field } from '../../ui/field.tsx'
import { Notice, ProblemAlert } from '../../ui/problem-alert.tsx'
import { useSubmit } from '../../ui/use-submit.ts'
import { checkPhone, collect } from '../../ui/validate.ts'
import type { TokenPair } from './sign-in.ts'

/** Sign-in with a texted code: the number (the same answer whether or not it has an account), then the code. */
export function PhoneCodeForm ({ onPair, onBack }: { onPair: (pair: TokenPair) => Promise<void>, onBack: () => void }) {
  const t = useT()
  const [phone, setPhone] = useState('')
  const [sentTo, setSentTo] = useState<string | undefined>()
  const [code, setCode] = useState('')
  const start = useSubmit()
  const finish = useSubmit()

  async function send (event?: React.FormEvent) {
    event?.preventDefault()
    const value = phone.trim()
    const outcome = await start.submit(collect({ phone: checkPhone(t, value) }), () => call(client.POST('/api/v1/auth/phone/login/start', { body: { phone: value } })))
    if (outcome?.ok) setSentTo(value)
  }

  async function verify (event: React.FormEvent) {
    event.preventDefault()
    const value = code.trim()
    const checks = collect({ otp: /^\d{6}$/.test(value) ? undefined : t('auth.challenge.codeFormat') })
    const outcome = await finish.submit(checks, () => call(client.POST('/api/v1/auth/phone/login', { body: { phone: sentTo!, otp: value } })))
    if (outcome?.ok) await onPair(outcome.data)
  }

  return (
    <div className='stack'>
      <h2>{t('auth.phone.title')}</h2>
      {sentTo
        ? (
          <>
            <Notice tone='success'>{t('auth.phone.sent', { phone: sentTo })}</Notice>
            <ProblemAlert problem={finish.problem && !finish.fields.otp ? finish.problem : undefined} />
            <ProblemAlert problem={start.problem} />
            <form noValidate onSubmit={(event) => { verify(event).catch(() => {}) }}>
              <Field label={t('auth.phone.code')} name='otp' value={code} onChange={event => setCode(event.target.value)} error={finish.fields.otp} autoComplete='one-time-code' inputMode='numeric' maxLength={6} className='otp-input' autoFocus required />
              <Button type='submit' className='button-block' busy={finish.busy}>{t('auth.phone.submit')}</Button>
            </form>
            <div className='links'>
              <button type='button' className='button-ghost link-button' disabled={start.busy} onClick={() => { send().catch(() => {}) }}>{t('auth.phone.resend')}</button>
              <button type='button' className='button-ghost link-button' onClick={() => { setSentTo(undefined); setCode('') }}>{t('auth.phone.change')}</button>
            </div>
          </>
          )
        : (
          <>
            <p className='muted'>{t('auth.phone.lead')}</p>
            <ProblemAlert problem={start.problem && !start.fields.phone ? start.problem : undefined} />
            <form noValidate onSubmit={(event) => { send(event).catch(() => {}) }}>
              <Field label={t('auth.phone.number')} name='phone' type='tel' value={phone} onChange={event => setPhone(event.target.value)} error={start.fields.phone} hint={t('auth.login.identifierHint')} autoComplete='tel' autoFocus required />
              <Button type='submit' className='button-block' busy={start.busy}>{t('auth.phone.send')}</Button>
            </form>
          </>
          )}
      <p className='links'><button type='button' className='button-ghost link-button' onClick={onBack}>{t('auth.login.back')}</button></p>
    </div>
  )
}
