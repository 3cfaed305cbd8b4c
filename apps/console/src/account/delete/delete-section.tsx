import { useState } from 'react'
import type { FormEvent } from 'react'
import { useNavigate } from 'react-router'
import { client } from '../../api.ts'
import { useT } from '../../i18n.tsx'
import { call } from '../../problem.ts'
import { useSession } from '../../session.tsx'
import { Button } from '../../ui/button.tsx'
import { Field } from '../../ui/field.tsx'
import { ProblemAlert } from '../../ui/problem-alert.tsx'
import { useSubmit } from '../../ui/use-submit.ts'
import { checkRequired, collect } from '../../ui/validate.ts'
import { Modal } from '../profile/modal.tsx'
import '../profile/profile.css'
import './delete.css'

type Channel = 'sms' | 'email'

/** Where the API names a refused proof: beside that field. */
const PROOF_FIELD: Record<string, 'password' | 'otp'> = {
  password_incorrect: 'password',
  otp_invalid: 'otp',
  otp_expired: 'otp',
  otp_attempts_exceeded: 'otp'
}

/**
 * /account/delete: proof (the password, or a code sent to a verified
 * contact), then "Delete for good?" in a dialog, then DELETE /api/v1/users/me;
 * the person lands on the login page, signed out.
 */
export function DeleteSection () {
  const t = useT()
  const navigate = useNavigate()
  const { signOut } = useSession()
  const [mode, setMode] = useState<'password' | 'otp'>('password')
  const [sentBy, setSentBy] = useState<Channel | undefined>()
  const [value, setValue] = useState('')
  const [confirming, setConfirming] = useState(false)
  const sending = useSubmit()
  const { busy, problem, fields, submit, setFields, setProblem } = useSubmit()

  async function sendCode () {
    setFields({})
    setProblem(undefined)
    const sent = await sending.submit({}, () => call(client.POST('/api/v1/auth/reauthenticate/start', { body: {} })))
    if (sent?.ok) { setSentBy(sent.data.channel); setMode('otp'); setValue('') }
  }

  function ask (event: FormEvent) {
    event.preventDefault()
    const checks = collect({ [mode]: checkRequired(t, value) })
    setFields(checks)
    setProblem(undefined)
    if (Object.keys(checks).length === 0) setConfirming(true)
  }

  async function remove () {
    const body = mode === 'password' ? { password: value } : { otp: value.trim(), ...(sentBy ? { channel: sentBy } : {}) }
    const outcome = await submit({}, () => call(client.DELETE('/api/v1/users/me', { body })))
    setConfirming(false)
    if (!outcome) return
    if (outcome.ok) {
      // To the login page first: signing out while this page is still shown would send the browser to the
      // login page of a signed-out visitor instead (RequireSignIn), and the account is gone at the API already.
      navigate('/auth/login?deleted=1', { replace: true })
      await signOut()
      return
    }
    const field = PROOF_FIELD[outcome.problem.code]
    if (field) setFields({ [field]: t(field === 'password' ? 'account.delete.wrongPassword' : 'account.delete.wrongCode') })
  }

  const shown = problem && PROOF_FIELD[problem.code] ? undefined : problem
  return (
    <section className='section narrow' aria-labelledby='section-title'>
      <h2 id='section-title'>{t('account.nav.delete')}</h2>
      <div className='card danger-zone'>
        <h3>{t('account.delete.what')}</h3>
        <ul className='delete-list'>
          <li>{t('account.delete.item.profile')}</li>
          <li>{t('account.delete.item.sessions')}</li>
          <li>{t('account.delete.item.messages')}</li>
          <li>{t('account.delete.item.audit')}</li>
        </ul>
        <p><strong>{t('account.delete.final')}</strong></p>
        <form className='account-form' onSubmit={ask} noValidate>
          <ProblemAlert problem={shown ?? sending.problem} />
          {mode === 'password'
            ? <Field label={t('account.delete.password')} name='password' type='password' autoComplete='current-password' value={value} onChange={e => setValue(e.target.value)} error={fields.password} />
            : (
              <Field
                label={t('account.delete.code')} name='otp' className='otp-input' inputMode='numeric' autoComplete='one-time-code' maxLength={10}
                value={value} onChange={e => setValue(e.target.value)} error={fields.otp} hint={t(sentBy === 'email' ? 'account.delete.sentEmail' : 'account.delete.sentSms')}
              />)}
          <div className='row'>
            <Button type='submit' tone='danger'>{t('account.delete.submit')}</Button>
            {mode === 'password'
              ? <Button tone='ghost' busy={sending.busy} onClick={() => { sendCode().catch(() => {}) }}>{t('account.reauth.useCode')}</Button>
              : <Button tone='ghost' onClick={() => { setMode('password'); setValue(''); setFields({}) }}>{t('account.reauth.usePassword')}</Button>}
          </div>
        </form>
      </div>
      <Modal open={confirming} title={t('account.delete.confirmTitle')} tone='danger' onClose={() => setConfirming(false)}>
        <p>{t('account.delete.confirmText')}</p>
        <div className='row modal-actions'>
          <Button tone='secondary' autoFocus onClick={() => setConfirming(false)}>{t('account.delete.keep')}</Button>
          <Button tone='danger' busy={busy} onClick={() => { remove().catch(() => {}) }}>{t('account.delete.confirm')}</Button>
        </div>
      </Modal>
    </section>
  )
}
