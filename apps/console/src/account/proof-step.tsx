import { useState } from 'react'
import type { ReactNode } from 'react'
import { client } from '../api.ts'
import { useT } from '../i18n.tsx'
import { call } from '../problem.ts'
import type { Outcome } from '../problem.ts'
import { Button } from '../ui/button.tsx'
import { Field } from '../ui/field.tsx'
import { ProblemAlert } from '../ui/problem-alert.tsx'
import { useSubmit } from '../ui/use-submit.ts'
import { checkRequired, collect } from '../ui/validate.ts'
import './proof-step.css'

type Channel = 'sms' | 'email'
type ProofField = 'password' | 'otp'

/** A fresh proof of identity as the API takes it: the password, or the code sent by POST /api/v1/auth/reauthenticate/start and where it went. */
export type Proof = { password: string } | { otp: string, channel?: Channel }

/** A wrong code is refused with these codes wherever a proof is asked for; a wrong password differs by endpoint. */
const CODE_REFUSALS = ['otp_invalid', 'otp_expired', 'otp_attempts_exceeded']

interface ProofOptions {
  /** The codes with which this endpoint refuses a wrong password. */
  passwordRefusals: string[]
  /** Said beside the password field when the API refuses it. */
  wrongPassword: string
  /** Said beside the code field when the API refuses it. */
  wrongCode: string
}

export type ProofState = ReturnType<typeof useProof>

/**
 * The state of a proof step: the password, or a code sent to a verified
 * contact on request. `spend` sends the proof; a refusal of the proof is said
 * beside its field, anything else above the form.
 */
export function useProof ({ passwordRefusals, wrongPassword, wrongCode }: ProofOptions) {
  const t = useT()
  const [mode, setMode] = useState<ProofField>('password')
  const [sentBy, setSentBy] = useState<Channel | undefined>()
  const [value, setValue] = useState('')
  const sending = useSubmit()
  const form = useSubmit()
  const refusedField = (code: string): ProofField | undefined =>
    passwordRefusals.includes(code) ? 'password' : CODE_REFUSALS.includes(code) ? 'otp' : undefined

  async function sendCode () {
    form.setFields({})
    form.setProblem(undefined)
    const sent = await sending.submit({}, () => call(client.POST('/api/v1/auth/reauthenticate/start', { body: {} })))
    if (sent?.ok) {
      setSentBy(sent.data.channel)
      setMode('otp')
      setValue('')
    }
  }

  function switchToPassword () {
    setMode('password')
    setValue('')
    form.setFields({})
    form.setProblem(undefined)
  }

  const checks = () => collect({ [mode]: checkRequired(t, value) })
  const proof = (): Proof => mode === 'password' ? { password: value } : { otp: value.trim(), ...(sentBy ? { channel: sentBy } : {}) }

  /** Whether the field is filled in; when it is not, the field says so. */
  function check (): boolean {
    const found = checks()
    form.setFields(found)
    form.setProblem(undefined)
    return Object.keys(found).length === 0
  }

  /** Sends the proof through `send` (unless the field is empty); the outcome, or undefined when nothing was sent. */
  async function spend<T> (send: (proof: Proof) => Promise<Outcome<T>>): Promise<Outcome<T> | undefined> {
    const outcome = await form.submit(checks(), () => send(proof()))
    const field = outcome && !outcome.ok ? refusedField(outcome.problem.code) : undefined
    if (field) form.setFields({ [field]: field === 'password' ? wrongPassword : wrongCode })
    return outcome
  }

  const aboveForm = form.problem && refusedField(form.problem.code) ? undefined : form.problem
  return {
    mode,
    sentBy,
    value,
    setValue,
    fields: form.fields,
    busy: form.busy,
    problem: aboveForm ?? sending.problem,
    sending: sending.busy,
    sendCode,
    switchToPassword,
    check,
    spend
  }
}

interface ProofStepProps {
  proof: ProofState
  /** The field labels, and what the code field says once the code is on its way. */
  labels: { password: string, code: string, sentSms: string, sentEmail: string }
  /** Said above the password field. */
  intro?: string
  autoFocus?: boolean
  /** The form's buttons, under the field. */
  children: ReactNode
}

/**
 * "Your password, or send me a code": the refusal, the field, the caller's
 * buttons, and the switch between password and code. Goes inside the
 * caller's form, whose submit calls `proof.check` or `proof.spend`.
 */
export function ProofStep ({ proof, labels, intro, autoFocus = false, children }: ProofStepProps) {
  const t = useT()
  return (
    <>
      {intro && proof.mode === 'password' ? <p>{intro}</p> : null}
      <ProblemAlert problem={proof.problem} />
      {proof.mode === 'password'
        ? <Field label={labels.password} name='password' type='password' autoComplete='current-password' autoFocus={autoFocus} value={proof.value} onChange={e => proof.setValue(e.target.value)} error={proof.fields.password} />
        : (
          <Field
            label={labels.code} name='otp' className='otp-input' inputMode='numeric' autoComplete='one-time-code' autoFocus={autoFocus} maxLength={10}
            value={proof.value} onChange={e => proof.setValue(e.target.value)} error={proof.fields.otp} hint={proof.sentBy === 'email' ? labels.sentEmail : labels.sentSms}
          />)}
      {children}
      <p className='small proof-switch'>
        {proof.mode === 'password'
          ? <Button tone='ghost' busy={proof.sending} onClick={() => { proof.sendCode().catch(() => {}) }}>{t('account.reauth.useCode')}</Button>
          : <Button tone='ghost' onClick={() => proof.switchToPassword()}>{t('account.reauth.usePassword')}</Button>}
      </p>
    </>
  )
}
