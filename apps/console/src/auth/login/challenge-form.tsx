import { useState } from 'react'
import { client } from '../../api.ts'
import { useT } from '../../i18n.tsx'
import { call } from '../../problem.ts'
import type { Problem } from '../../problem.ts'
import { Button } from '../../ui/button.tsx'
import { Field } from '../../ui/field.tsx'
import { ProblemAlert } from '../../ui/problem-alert.tsx'
import { useSubmit } from '../../ui/use-submit.ts'
import { collect } from '../../ui/validate.ts'
import type { MfaChallenge, TokenPair } from './sign-in.ts'
import { ceremonyProblem, getPasskey, passkeysSupported } from './webauthn.ts'

const SIX_DIGITS = /^\d{6}$/
const RECOVERY = /^[A-Za-z2-9]{5}-?[A-Za-z2-9]{5}$/

/**
 * The second step of a login: the code the challenge's channel delivers (SMS, email or the authenticator app), a
 * recovery code, or a passkey when the challenge offers one. A wrong code is said beside the field; a challenge that
 * expired or ran out of tries offers to start again.
 */
export function ChallengeForm ({ challenge, onPair, onRestart }: { challenge: MfaChallenge, onPair: (pair: TokenPair) => Promise<void>, onRestart: () => void }) {
  const t = useT()
  const [recovery, setRecovery] = useState(false)
  const [code, setCode] = useState('')
  const { busy, problem, fields, submit, setProblem } = useSubmit()
  const [passkeyBusy, setPasskeyBusy] = useState(false)
  const [passkeyProblem, setPasskeyProblem] = useState<Problem | undefined>()
  const dead = problem?.code === 'mfa_challenge_invalid'

  async function verify (event: React.FormEvent) {
    event.preventDefault()
    const value = code.trim()
    const checks = collect({ otp: recovery ? (RECOVERY.test(value) ? undefined : t('auth.challenge.recoveryFormat')) : (SIX_DIGITS.test(value) ? undefined : t('auth.challenge.codeFormat')) })
    const outcome = await submit(checks, () => call(client.POST('/api/v1/auth/mfa/verify', { body: { challengeId: challenge.challengeId, otp: value } })))
    if (outcome?.ok) await onPair(outcome.data)
  }

  async function withPasskey () {
    setPasskeyBusy(true)
    setPasskeyProblem(undefined)
    setProblem(undefined)
    try {
      const options = await call(client.POST('/api/v1/auth/mfa/passkey/options', { body: { challengeId: challenge.challengeId } }))
      if (!options.ok) return setPasskeyProblem(options.problem)
      let credential
      try {
        credential = await getPasskey(options.data as Record<string, unknown>)
      } catch (err) {
        return setPasskeyProblem({ ...ceremonyProblem(err), title: t('auth.login.passkeyCancelled') })
      }
      const answer = await call(client.POST('/api/v1/auth/mfa/passkey', { body: { challengeId: challenge.challengeId, credential: credential as never } }))
      if (!answer.ok) return setPasskeyProblem(answer.problem)
      await onPair(answer.data)
    } finally {
      setPasskeyBusy(false)
    }
  }

  const wrong = problem?.code === 'mfa_code_invalid' ? t('auth.challenge.wrong') : fields.otp
  return (
    <div className='stack'>
      <h2>{t('auth.challenge.title')}</h2>
      <p className='muted'>{t(`auth.challenge.${challenge.channel}`)}</p>
      {dead
        ? (
          <div className='alert alert-error' role='alert' data-code={problem.code}>
            <p>{t('auth.challenge.expired')}</p>
            <Button tone='secondary' onClick={onRestart}>{t('auth.challenge.restart')}</Button>
          </div>
          )
        : <ProblemAlert problem={problem && problem.code !== 'mfa_code_invalid' && !fields.otp ? problem : undefined} />}
      <ProblemAlert problem={passkeyProblem} />
      <form noValidate onSubmit={(event) => { verify(event).catch(() => {}) }}>
        <Field
          key={recovery ? 'recovery' : 'code'}
          label={recovery ? t('auth.challenge.recovery') : t('auth.challenge.code')}
          name='otp'
          value={code}
          onChange={event => setCode(event.target.value)}
          error={wrong}
          hint={recovery ? t('auth.challenge.recoveryHint') : undefined}
          autoComplete='one-time-code'
          inputMode={recovery ? 'text' : 'numeric'}
          maxLength={recovery ? 11 : 6}
          className={recovery ? undefined : 'otp-input'}
          autoFocus
          required
          disabled={dead}
        />
        <Button type='submit' className='button-block' busy={busy} disabled={dead}>{t('auth.challenge.submit')}</Button>
      </form>
      <div className='links'>
        <button type='button' className='button-ghost link-button' onClick={() => { setRecovery(!recovery); setCode(''); setProblem(undefined) }}>
          {recovery ? t('auth.challenge.useCode') : t('auth.challenge.useRecovery')}
        </button>
        {challenge.passkey && passkeysSupported()
          ? <Button tone='secondary' busy={passkeyBusy} onClick={() => { withPasskey().catch(() => {}) }}>{t('auth.challenge.usePasskey')}</Button>
          : null}
        <button type='button' className='button-ghost link-button' onClick={onRestart}>{t('auth.challenge.restart')}</button>
      </div>
    </div>
  )
}
