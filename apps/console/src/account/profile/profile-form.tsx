import { useId, useState } from 'react'
import type { FormEvent } from 'react'
import type { paths } from '@app/client'
import { client } from '../../api.ts'
import { useT } from '../../i18n.tsx'
import type { Translate } from '../../i18n.tsx'
import { call } from '../../problem.ts'
import type { Outcome } from '../../problem.ts'
import type { User } from '../../session.tsx'
import { Button } from '../../ui/button.tsx'
import { Field } from '../../ui/field.tsx'
import { Notice, ProblemAlert } from '../../ui/problem-alert.tsx'
import { useSubmit } from '../../ui/use-submit.ts'
import { checkEmail, checkPhone, collect } from '../../ui/validate.ts'
import { EmailStatus } from './pending.tsx'

type Patch = NonNullable<paths['/api/v1/users/me']['patch']['requestBody']>['content']['application/json']
export type WithReauth = <T>(send: () => Promise<Outcome<T>>) => Promise<Outcome<T>>
export type OnChanged = (user: User, notice: string | undefined) => void

/** The languages messages can be written in (the notification service's templates). */
const MESSAGE_LOCALES = [{ value: 'en', label: 'English' }, { value: 'de', label: 'Deutsch' }]

interface Values { name: string, email: string, phone: string, locale: string }

/** Only what changed: an emptied phone is removed (null); an email cannot be removed, only replaced. */
function patchOf (user: User, values: Values): Patch {
  const patch: Patch = {}
  const name = values.name.trim()
  if (name !== (user.name ?? '')) patch.name = name === '' ? null : name
  const email = values.email.trim()
  if (email !== (user.email ?? '') && email !== '') patch.email = email
  const phone = values.phone.trim()
  if (phone !== (user.phone ?? '')) patch.phone = phone === '' ? null : phone
  if (values.locale !== user.locale) patch.locale = values.locale
  return patch
}

function checks (t: Translate, user: User, values: Values) {
  const email = values.email.trim()
  const phone = values.phone.trim()
  return collect({
    email: email !== '' || user.email ? checkEmail(t, email) : undefined,
    phone: phone !== '' ? checkPhone(t, phone) : (!user.email && !email && user.phone ? t('account.profile.phoneNeeded') : undefined)
  })
}

/** What to tell after a save: a new email or phone is not in use until it is confirmed. */
function savedNotice (t: Translate, patch: Patch, user: User): string {
  if (patch.email !== undefined && user.pendingEmail) return t('account.profile.savedPendingEmail', { email: user.pendingEmail })
  if (typeof patch.phone === 'string' && user.pendingPhone) return t('account.profile.savedPendingPhone', { phone: user.pendingPhone })
  return t('account.profile.saved')
}

export function ProfileForm ({ user, onSaved, withReauth }: { user: User, onSaved: OnChanged, withReauth: WithReauth }) {
  const t = useT()
  const localeId = useId()
  const [values, setValues] = useState<Values>({ name: user.name ?? '', email: user.email ?? '', phone: user.phone ?? '', locale: user.locale })
  const [unchanged, setUnchanged] = useState(false)
  const { busy, problem, fields, submit } = useSubmit()
  const set = (key: keyof Values) => (event: { target: { value: string } }) => { setValues({ ...values, [key]: event.target.value }); setUnchanged(false) }

  async function save (event: FormEvent) {
    event.preventDefault()
    const patch = patchOf(user, values)
    const found = checks(t, user, values)
    if (Object.keys(found).length === 0 && Object.keys(patch).length === 0) return setUnchanged(true)
    const outcome = await submit(found, () => withReauth(() => call(client.PATCH('/api/v1/users/me', { body: patch }))))
    if (outcome?.ok) onSaved(outcome.data, savedNotice(t, patch, outcome.data))
  }

  return (
    <form className='account-form' onSubmit={(event) => { save(event).catch(() => {}) }} noValidate aria-describedby={problem ? 'profile-problem' : undefined}>
      <ProblemAlert problem={problem} id='profile-problem' />
      {unchanged ? <Notice>{t('account.profile.unchanged')}</Notice> : null}
      <Field label={t('account.profile.name')} name='name' autoComplete='name' value={values.name} onChange={set('name')} error={fields.name} maxLength={200} />
      <Field
        label={t('account.profile.email')} name='email' type='email' autoComplete='email' value={values.email} onChange={set('email')} error={fields.email}
        hint={t('account.profile.emailHint')}
      />
      {user.email && !user.pendingEmail ? <EmailStatus user={user} /> : null}
      <Field
        label={t('account.profile.phone')} name='phone' type='tel' autoComplete='tel' inputMode='tel' value={values.phone} onChange={set('phone')} error={fields.phone}
        hint={t('account.profile.phoneHint')}
      />
      {user.phone && !user.pendingPhone
        ? <p className='contact-status'><span className={`badge badge-${user.phoneVerified ? 'success' : 'warning'}`}>{t(user.phoneVerified ? 'account.profile.verified' : 'account.profile.notVerified')}</span></p>
        : null}
      <div className='field'>
        <label htmlFor={localeId}>{t('account.profile.locale')}</label>
        <select id={localeId} name='locale' value={values.locale} onChange={set('locale')} aria-describedby={`${localeId}-hint`}>
          {MESSAGE_LOCALES.map(l => <option key={l.value} value={l.value} lang={l.value}>{l.label}</option>)}
          {MESSAGE_LOCALES.some(l => l.value === user.locale) ? null : <option value={user.locale}>{user.locale}</option>}
        </select>
        <p className='hint' id={`${localeId}-hint`}>{t('account.profile.localeHint')}</p>
        {fields.locale ? <p className='field-error'>{fields.locale}</p> : null}
      </div>
      <Button type='submit' busy={busy}>{t('account.profile.save')}</Button>
    </form>
  )
}
