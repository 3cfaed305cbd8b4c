import { useState } from 'react'
import type { FormEvent } from 'react'
import { client } from '../../api.ts'
import { useT } from '../../i18n.tsx'
import { call } from '../../problem.ts'
import type { User } from '../../session.tsx'
import { Button } from '../../ui/button.tsx'
import { Field } from '../../ui/field.tsx'
import { ProblemAlert } from '../../ui/problem-alert.tsx'
import { useSubmit } from '../../ui/use-submit.ts'
import { checkRequired, collect } from '../../ui/validate.ts'
import type { OnChanged, WithReauth } from './profile-form.tsx'

/** Under the email field: verified, or not yet with a way to get a new link. */
export function EmailStatus ({ user }: { user: User }) {
  const t = useT()
  const [sent, setSent] = useState(false)
  const { busy, problem, submit } = useSubmit()
  if (user.emailVerified) return <p className='contact-status'><span className='badge badge-success'>{t('account.profile.verified')}</span></p>
  const resend = async () => {
    const outcome = await submit({}, () => call(client.POST('/api/v1/email-verification/send', { body: { email: user.email! } })))
    if (outcome?.ok) setSent(true)
  }
  return (
    <div className='contact-status'>
      <p className='row'>
        <span className='badge badge-warning'>{t('account.profile.notVerified')}</span>
        {sent
          ? <span role='status' className='small'>{t('account.profile.linkSent', { email: user.email! })}</span>
          : <Button tone='ghost' busy={busy} onClick={() => { resend().catch(() => {}) }}>{t('account.profile.sendLink')}</Button>}
      </p>
      <ProblemAlert problem={problem} />
    </div>
  )
}

interface PendingProps { user: User, onChanged: OnChanged, withReauth: WithReauth }

/** "Sending the current value again withdraws a pending change" (PATCH /api/v1/users/me). */
function useWithdraw ({ user, onChanged, withReauth }: PendingProps, field: 'email' | 'phone', message: string) {
  const { busy, problem, submit } = useSubmit()
  const withdraw = async () => {
    const body = field === 'email' ? { email: user.email! } : { phone: user.phone }
    const outcome = await submit({}, () => withReauth(() => call(client.PATCH('/api/v1/users/me', { body }))))
    if (outcome?.ok) onChanged(outcome.data, message)
  }
  return { busy, problem, withdraw: () => { withdraw().catch(() => {}) } }
}

/** A new email waits for its link; the current one stays in use until then. */
export function PendingEmail (props: PendingProps) {
  const t = useT()
  const { user } = props
  const { busy, problem, withdraw } = useWithdraw(props, 'email', t('account.profile.emailWithdrawn'))
  return (
    <div className='card pending' aria-labelledby='pending-email-title' role='region'>
      <h3 id='pending-email-title'><span className='badge badge-warning'>{t('account.profile.waiting')}</span> {t('account.profile.pendingEmailTitle')}</h3>
      <p>{t('account.profile.pendingEmail', { pending: user.pendingEmail!, current: user.email ?? '—' })}</p>
      <ProblemAlert problem={problem} />
      {user.email ? <Button tone='secondary' busy={busy} onClick={withdraw}>{t('account.profile.withdrawEmail')}</Button> : null}
    </div>
  )
}

/** A new phone waits for the code sent to it: entered here. */
export function PendingPhone (props: PendingProps) {
  const t = useT()
  const { user, onChanged } = props
  const [code, setCode] = useState('')
  const confirm = useSubmit()
  const { busy, problem, withdraw } = useWithdraw(props, 'phone', t('account.profile.phoneWithdrawn'))

  async function verify (event: FormEvent) {
    event.preventDefault()
    const outcome = await confirm.submit(collect({ otp: checkRequired(t, code) }), () => call(client.POST('/api/v1/users/me/phone/verify', { body: { otp: code.trim() } })))
    if (!outcome) return
    if (outcome.ok) return onChanged(outcome.data, t('account.profile.phoneVerified', { phone: outcome.data.phone ?? '' }))
    if (outcome.problem.code.startsWith('otp_')) confirm.setFields({ otp: t(outcome.problem.code === 'otp_invalid' ? 'account.reauth.wrongCode' : 'account.profile.codeExpired') })
  }

  return (
    <div className='card pending' aria-labelledby='pending-phone-title' role='region'>
      <h3 id='pending-phone-title'><span className='badge badge-warning'>{t('account.profile.waiting')}</span> {t('account.profile.pendingPhoneTitle')}</h3>
      <p>{t(user.phone ? 'account.profile.pendingPhone' : 'account.profile.pendingPhoneNew', { pending: user.pendingPhone!, current: user.phone ?? '' })}</p>
      <form onSubmit={(event) => { verify(event).catch(() => {}) }} noValidate className='pending-code'>
        <ProblemAlert problem={confirm.problem?.code.startsWith('otp_') ? undefined : confirm.problem} />
        <Field
          label={t('account.profile.phoneCode')} name='otp' className='otp-input' inputMode='numeric' autoComplete='one-time-code' maxLength={10}
          value={code} onChange={e => setCode(e.target.value)} error={confirm.fields.otp}
        />
        <div className='row'>
          <Button type='submit' busy={confirm.busy}>{t('account.profile.confirmPhone')}</Button>
          <Button tone='secondary' busy={busy} onClick={withdraw}>{t('account.profile.withdrawPhone')}</Button>
        </div>
      </form>
      <ProblemAlert problem={problem} />
    </div>
  )
}
