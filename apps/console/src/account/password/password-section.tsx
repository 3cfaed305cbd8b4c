import { useState } from 'react'
import type { FormEvent } from 'react'
import { Link } from 'react-router'
import { client } from '../../api.ts'
import { useT } from '../../i18n.tsx'
import { call, fieldErrors } from '../../problem.ts'
import { Button } from '../../ui/button.tsx'
import { Field } from '../../ui/field.tsx'
import { Notice, ProblemAlert } from '../../ui/problem-alert.tsx'
import { useSubmit } from '../../ui/use-submit.ts'
import { checkRequired, collect } from '../../ui/validate.ts'
import '../profile/profile.css'

const MIN_LENGTH = 8

/** /account/password: the current password and a new one; every other session ends (POST /api/v1/password/change). */
export function PasswordSection () {
  const t = useT()
  const [current, setCurrent] = useState('')
  const [next, setNext] = useState('')
  const [done, setDone] = useState(false)
  const { busy, problem, fields, submit, setFields } = useSubmit()

  async function change (event: FormEvent) {
    event.preventDefault()
    setDone(false)
    const checks = collect({
      currentPassword: checkRequired(t, current),
      newPassword: checkRequired(t, next) ??
        (next.length < MIN_LENGTH ? t('account.password.tooShort', { min: MIN_LENGTH }) : undefined) ??
        (next === current ? t('account.password.same') : undefined)
    })
    const outcome = await submit(checks, () => call(client.POST('/api/v1/password/change', { body: { currentPassword: current, newPassword: next } })))
    if (!outcome) return
    if (outcome.ok) {
      setCurrent('')
      setNext('')
      setDone(true)
    } else if (outcome.problem.code === 'current_password_invalid') {
      setFields({ currentPassword: t('account.password.wrongCurrent') })
    } else if (/common/.test(fieldErrors(outcome.problem).newPassword ?? '')) {
      // The policy's refusal, in the reader's language.
      setFields({ newPassword: t('account.password.common') })
    }
  }

  // A refusal that names a field is shown beside it; the alert above says the rest.
  const named = problem && (problem.code === 'current_password_invalid' || Object.keys(fields).length > 0)
  return (
    <section className='section narrow' aria-labelledby='section-title'>
      <h2 id='section-title'>{t('account.nav.password')}</h2>
      <p className='muted'>{t('account.password.intro')}</p>
      {done ? <Notice tone='success'>{t('account.password.changed')}</Notice> : null}
      <div className='card'>
        <form className='account-form' onSubmit={(event) => { change(event).catch(() => {}) }} noValidate>
          <ProblemAlert problem={named ? undefined : problem} />
          <Field label={t('account.password.current')} name='currentPassword' type='password' autoComplete='current-password' value={current} onChange={e => setCurrent(e.target.value)} error={fields.currentPassword} />
          <Field
            label={t('account.password.new')} name='newPassword' type='password' autoComplete='new-password' value={next} onChange={e => setNext(e.target.value)} error={fields.newPassword}
            hint={t('account.password.hint', { min: MIN_LENGTH })}
          />
          <Button type='submit' busy={busy}>{t('account.password.submit')}</Button>
        </form>
      </div>
      <p className='muted small after-card'>{t('account.password.forgot')} <Link to='/auth/forgot'>{t('account.password.forgotLink')}</Link></p>
    </section>
  )
}
