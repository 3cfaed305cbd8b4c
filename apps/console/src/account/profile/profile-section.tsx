import { useState } from 'react'
import { client } from '../../api.ts'
import { useI18n } from '../../i18n.tsx'
import { call } from '../../problem.ts'
import { useSession } from '../../session.tsx'
import type { User } from '../../session.tsx'
import { Notice } from '../../ui/problem-alert.tsx'
import { Loaded } from '../../ui/states.tsx'
import { useLoad } from '../../ui/use-load.ts'
import { PendingEmail, PendingPhone } from './pending.tsx'
import { ProfileForm } from './profile-form.tsx'
import { useReauth } from './reauth.tsx'
import './profile.css'

/** /account/profile: name, email, phone and the language of messages; a new email or phone waits for its proof. */
export function ProfileSection () {
  const { t, formatDate } = useI18n()
  const session = useSession()
  const { state, reload, setState } = useLoad(() => call(client.GET('/api/v1/users/me')))
  const [notice, setNotice] = useState<string | undefined>()
  const reauth = useReauth()

  /** A newer user from the API: shown here, and in the header (the session reads it again). */
  const changed = (user: User, message: string | undefined) => {
    setState(current => current?.ok ? { ...current, data: user } : current)
    setNotice(message)
    session.refresh().catch(() => {})
  }

  return (
    <section className='section' aria-labelledby='section-title'>
      <h2 id='section-title'>{t('account.nav.profile')}</h2>
      <Loaded state={state} retry={reload}>
        {(user: User) => (
          <div className='stack narrow'>
            {notice ? <Notice tone='success'>{notice}</Notice> : null}
            {user.pendingEmail ? <PendingEmail user={user} onChanged={changed} withReauth={reauth.withReauth} /> : null}
            {user.pendingPhone ? <PendingPhone user={user} onChanged={changed} withReauth={reauth.withReauth} /> : null}
            <div className='card'>
              <ProfileForm key={user.updatedAt} user={user} onSaved={changed} withReauth={reauth.withReauth} />
            </div>
            <p className='muted small'>{t('account.profile.memberSince', { date: formatDate(user.createdAt) })}</p>
          </div>
        )}
      </Loaded>
      {reauth.dialog}
    </section>
  )
}
