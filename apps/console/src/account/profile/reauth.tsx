import { useRef, useState } from 'react'
import type { FormEvent } from 'react'
import { client } from '../../api.ts'
import { useT } from '../../i18n.tsx'
import { call } from '../../problem.ts'
import type { Outcome } from '../../problem.ts'
import { Button } from '../../ui/button.tsx'
import { Field } from '../../ui/field.tsx'
import { ProblemAlert } from '../../ui/problem-alert.tsx'
import { useSubmit } from '../../ui/use-submit.ts'
import { checkRequired, collect } from '../../ui/validate.ts'
import { Modal } from './modal.tsx'

type Channel = 'sms' | 'email'

/** The field beside which a refused proof is shown, by the API's code. */
const PROOF_FIELD: Record<string, 'password' | 'otp'> = {
  invalid_credentials: 'password',
  unauthorized: 'password',
  otp_invalid: 'otp',
  otp_expired: 'otp',
  otp_attempts_exceeded: 'otp'
}

/**
 * "Confirm it's you": the password, or a code sent to a verified contact
 * (POST /api/v1/auth/reauthenticate/start). A right answer gives this session
 * a fresh pair (POST /api/v1/auth/reauthenticate), kept by the client.
 */
function ReauthForm ({ onDone }: { onDone: (proven: boolean) => void }) {
  const t = useT()
  const [mode, setMode] = useState<'password' | 'otp'>('password')
  const [sentBy, setSentBy] = useState<Channel | undefined>()
  const [value, setValue] = useState('')
  const sending = useSubmit()
  const { busy, problem, fields, submit, setFields, setProblem } = useSubmit()

  async function sendCode () {
    setFields({})
    setProblem(undefined)
    const sent = await sending.submit({}, () => call(client.POST('/api/v1/auth/reauthenticate/start', { body: {} })))
    if (sent?.ok) {
      setSentBy(sent.data.channel)
      setMode('otp')
      setValue('')
    }
  }

  async function confirm (event: FormEvent) {
    event.preventDefault()
    const checks = collect({ [mode]: checkRequired(t, value) })
    const body = mode === 'password' ? { password: value } : { otp: value.trim() }
    const outcome = await submit(checks, () => call(client.POST('/api/v1/auth/reauthenticate', { body })))
    if (!outcome) return
    if (outcome.ok) {
      await client.signIn(outcome.data)
      onDone(true)
      return
    }
    const field = PROOF_FIELD[outcome.problem.code]
    if (field) setFields({ [field]: field === 'password' ? t('account.reauth.wrongPassword') : t('account.reauth.wrongCode') })
  }

  const fieldProblem = problem && PROOF_FIELD[problem.code] ? undefined : problem
  return (
    <form onSubmit={(event) => { confirm(event).catch(() => {}) }} noValidate>
      <p>{mode === 'password' ? t('account.reauth.intro') : t(sentBy === 'email' ? 'account.reauth.sentEmail' : 'account.reauth.sentSms')}</p>
      <ProblemAlert problem={fieldProblem ?? sending.problem} />
      {mode === 'password'
        ? <Field label={t('account.reauth.password')} name='password' type='password' autoComplete='current-password' autoFocus value={value} onChange={e => setValue(e.target.value)} error={fields.password} />
        : <Field label={t('account.reauth.code')} name='otp' className='otp-input' inputMode='numeric' autoComplete='one-time-code' autoFocus maxLength={10} value={value} onChange={e => setValue(e.target.value)} error={fields.otp} />}
      <div className='row modal-actions'>
        <Button type='submit' busy={busy}>{t('account.reauth.confirm')}</Button>
        <Button tone='secondary' onClick={() => onDone(false)}>{t('account.common.cancel')}</Button>
      </div>
      <p className='small modal-alt'>
        {mode === 'password'
          ? <Button tone='ghost' busy={sending.busy} onClick={() => { sendCode().catch(() => {}) }}>{t('account.reauth.useCode')}</Button>
          : <Button tone='ghost' onClick={() => { setMode('password'); setValue(''); setFields({}); setProblem(undefined) }}>{t('account.reauth.usePassword')}</Button>}
      </p>
    </form>
  )
}

/** A refusal the console makes itself when the person closes the dialog without proving it. */
const cancelled = (title: string): Outcome<never> => ({ ok: false, problem: { status: 0, code: 'reauth_cancelled', title } })

/**
 * Runs a change; when the API answers `403 reauth_required`, asks "Confirm
 * it's you" and, once proven, runs it again. Render `dialog` once. A second
 * change refused while the dialog is open waits for the same answer: one
 * proof sends both again, Cancel cancels both.
 */
export function useReauth () {
  const t = useT()
  const [open, setOpen] = useState(false)
  const waiting = useRef<{ answer: Promise<boolean>, resolve: (proven: boolean) => void } | undefined>(undefined)

  function ask (): Promise<boolean> {
    if (!waiting.current) {
      let settle: (proven: boolean) => void = () => {}
      const answer = new Promise<boolean>((resolve) => { settle = resolve })
      waiting.current = { answer, resolve: settle }
      setOpen(true)
    }
    return waiting.current.answer
  }

  async function withReauth<T> (send: () => Promise<Outcome<T>>): Promise<Outcome<T>> {
    const first = await send()
    if (first.ok || first.problem.code !== 'reauth_required') return first
    const proven = await ask()
    return proven ? send() : cancelled(t('account.reauth.cancelled'))
  }

  const done = (proven: boolean) => {
    setOpen(false)
    const asked = waiting.current
    waiting.current = undefined
    asked?.resolve(proven)
  }
  const dialog = (
    <Modal open={open} title={t('account.reauth.title')} onClose={() => done(false)}>
      <ReauthForm onDone={done} />
    </Modal>
  )
  return { withReauth, dialog }
}
