import { useState } from 'react'
import type { FormEvent } from 'react'
import { Link, useNavigate, useParams } from 'react-router'
import { client } from '../../api.ts'
import { useI18n } from '../../i18n.tsx'
import { call } from '../../problem.ts'
import type { Problem } from '../../problem.ts'
import { useUser } from '../../session.tsx'
import { Button } from '../../ui/button.tsx'
import { Notice, ProblemAlert } from '../../ui/problem-alert.tsx'
import { Loaded } from '../../ui/states.tsx'
import { useLoad } from '../../ui/use-load.ts'
import { ConfirmDialog } from '../../ui/confirm-dialog.tsx'
import { RoleBadges, StateBadge, userLabel } from './user-bits.tsx'
import type { User } from './user-bits.tsx'
import './admin.css'

/** /admin/users/:id: profile, roles, access, sessions, recent activity, deletion. */
export function UserDetail () {
  const { id = '' } = useParams()
  const { t } = useI18n()
  const load = () => call(client.GET('/api/v1/users/{id}', { params: { path: { id } } }))
  const user = useLoad(load, [id])
  // After a change the page stays as it is (with its notices) while the user is read again.
  const reread = () => { load().then(outcome => { if (outcome.ok) user.setState(outcome) }, () => {}) }
  return (
    <section className='section' aria-labelledby='user-title'>
      <Link className='back-link' to='/admin/users'>← {t('admin.users.back')}</Link>
      {user.state && !user.state.ok && user.state.problem.status === 404
        ? <Notice tone='warning'>{t('admin.users.notFound')}</Notice>
        : (
          <Loaded state={user.state} retry={user.reload}>
            {data => <UserView user={data} onChanged={reread} />}
          </Loaded>
          )}
    </section>
  )
}

function UserView ({ user, onChanged }: { user: User, onChanged: () => void }) {
  const { t, formatDate } = useI18n()
  const me = useUser()
  const self = me.id === user.id
  const [reloadSessions, setReloadSessions] = useState(0)
  const yes = t('admin.users.yes')
  const no = t('admin.users.no')
  return (
    <>
      <div className='detail-header'>
        <h2 id='user-title'>{userLabel(user)}</h2>
        <StateBadge user={user} />
        <RoleBadges roles={user.roles} />
        {self ? <span className='badge'>{t('admin.users.you')}</span> : null}
      </div>
      <div className='detail-grid'>
        <section className='card' aria-labelledby='profile-title'>
          <h3 id='profile-title'>{t('admin.users.profile')}</h3>
          <dl className='details'>
            <dt>{t('admin.users.field.id')}</dt><dd className='id'>{user.id}</dd>
            <dt>{t('admin.users.field.name')}</dt><dd>{user.name ?? <span className='muted'>—</span>}</dd>
            <dt>{t('admin.users.field.email')}</dt>
            <dd>{user.email ?? <span className='muted'>—</span>}{user.email ? <> <span className={`badge ${user.emailVerified ? 'badge-success' : 'badge-warning'}`}>{user.emailVerified ? t('admin.users.verified') : t('admin.users.unverified')}</span></> : null}</dd>
            {user.pendingEmail ? <><dt>{t('admin.users.field.pendingEmail')}</dt><dd>{user.pendingEmail}</dd></> : null}
            <dt>{t('admin.users.field.phone')}</dt>
            <dd>{user.phone ?? <span className='muted'>—</span>}{user.phone ? <> <span className={`badge ${user.phoneVerified ? 'badge-success' : 'badge-warning'}`}>{user.phoneVerified ? t('admin.users.verified') : t('admin.users.unverified')}</span></> : null}</dd>
            {user.pendingPhone ? <><dt>{t('admin.users.field.pendingPhone')}</dt><dd>{user.pendingPhone}</dd></> : null}
            <dt>{t('admin.users.field.locale')}</dt><dd>{user.locale}</dd>
            <dt>{t('admin.users.field.disabled')}</dt><dd>{user.disabled ? yes : no}</dd>
            <dt>{t('admin.users.field.created')}</dt><dd>{formatDate(user.createdAt)}</dd>
            <dt>{t('admin.users.field.updated')}</dt><dd>{formatDate(user.updatedAt)}</dd>
          </dl>
        </section>
        <div className='stack'>
          <RolesCard user={user} self={self} onChanged={onChanged} />
          <AccessCard user={user} self={self} onChanged={() => { onChanged(); setReloadSessions(n => n + 1) }} />
        </div>
        <SessionsCard userId={user.id} round={reloadSessions} />
        <ActivityCard userId={user.id} round={reloadSessions} />
        {self ? null : <DeleteCard user={user} />}
      </div>
    </>
  )
}

function RolesCard ({ user, self, onChanged }: { user: User, self: boolean, onChanged: () => void }) {
  const { t } = useI18n()
  const [admin, setAdmin] = useState(user.roles.includes('admin'))
  const [busy, setBusy] = useState(false)
  const [problem, setProblem] = useState<Problem | undefined>()
  const [saved, setSaved] = useState(false)
  const changed = admin !== user.roles.includes('admin')

  async function save (event: FormEvent) {
    event.preventDefault()
    setBusy(true)
    setProblem(undefined)
    setSaved(false)
    const roles: Array<'user' | 'admin'> = admin ? ['user', 'admin'] : ['user']
    const outcome = await call(client.PUT('/api/v1/users/{id}/roles', { params: { path: { id: user.id } }, body: { roles } }))
    setBusy(false)
    if (!outcome.ok) return setProblem(outcome.problem)
    setSaved(true)
    onChanged()
  }

  return (
    <section className='card' aria-labelledby='roles-title'>
      <h3 id='roles-title'>{t('admin.users.roles')}</h3>
      <form onSubmit={event => { save(event).catch(() => {}) }}>
        <ProblemAlert problem={problem} />
        {saved ? <Notice tone='success'>{t('admin.users.roles.saved')}</Notice> : null}
        <fieldset className='role-list'>
          <legend>{t('admin.users.roles.legend')}</legend>
          <label className='checkbox'><input type='checkbox' checked disabled aria-describedby='role-user-hint' />{t('admin.users.role.user')}</label>
          <p className='hint' id='role-user-hint'>{t('admin.users.roles.userHint')}</p>
          <label className='checkbox'><input type='checkbox' name='admin' checked={admin} onChange={event => { setAdmin(event.target.checked); setSaved(false) }} aria-describedby='role-admin-hint' />{t('admin.users.role.admin')}</label>
          <p className='hint' id='role-admin-hint'>{self ? t('admin.users.roles.selfHint') : t('admin.users.roles.adminHint')}</p>
        </fieldset>
        <Button type='submit' busy={busy} disabled={!changed}>{t('admin.users.roles.save')}</Button>
      </form>
    </section>
  )
}

function AccessCard ({ user, self, onChanged }: { user: User, self: boolean, onChanged: () => void }) {
  const { t } = useI18n()
  const [confirming, setConfirming] = useState(false)
  const [busy, setBusy] = useState(false)
  const [problem, setProblem] = useState<Problem | undefined>()
  const [done, setDone] = useState<'disabled' | 'enabled' | undefined>()

  async function change (disable: boolean) {
    setBusy(true)
    setProblem(undefined)
    const path = disable ? '/api/v1/users/{id}/disable' as const : '/api/v1/users/{id}/enable' as const
    const outcome = await call(client.POST(path, { params: { path: { id: user.id } } }))
    setBusy(false)
    if (!outcome.ok) return setProblem(outcome.problem)
    setConfirming(false)
    setDone(disable ? 'disabled' : 'enabled')
    onChanged()
  }

  return (
    <section className='card' aria-labelledby='access-title'>
      <h3 id='access-title'>{t('admin.users.access')}</h3>
      <p>{user.disabled ? t('admin.users.access.disabledText') : t('admin.users.access.activeText')}</p>
      {done ? <Notice tone='success'>{t(`admin.users.access.${done}`, { name: userLabel(user) })}</Notice> : null}
      {confirming ? null : <ProblemAlert problem={problem} />}
      {self
        ? <p className='muted small'>{t('admin.users.access.self')}</p>
        : user.disabled
          ? <Button busy={busy} onClick={() => { change(false).catch(() => {}) }}>{t('admin.users.enable')}</Button>
          : <Button tone='danger' onClick={() => { setProblem(undefined); setConfirming(true) }}>{t('admin.users.disable')}</Button>}
      <ConfirmDialog
        open={confirming}
        title={t('admin.users.disable.title', { name: userLabel(user) })}
        confirmLabel={t('admin.users.disable.confirm')}
        busy={busy}
        problem={problem}
        onConfirm={() => { change(true).catch(() => {}) }}
        onCancel={() => setConfirming(false)}
      >
        <p>{t('admin.users.disable.body')}</p>
      </ConfirmDialog>
    </section>
  )
}

function SessionsCard ({ userId, round }: { userId: string, round: number }) {
  const { t, formatDate } = useI18n()
  const load = () => call(client.GET('/api/v1/auth/users/{id}/sessions', { params: { path: { id: userId } } }))
  const sessions = useLoad(load, [userId, round])
  const [ending, setEnding] = useState<string | undefined>()
  const [problem, setProblem] = useState<Problem | undefined>()
  const [ended, setEnded] = useState(false)

  async function end (sid: string) {
    setEnding(sid)
    setProblem(undefined)
    setEnded(false)
    const outcome = await call(client.DELETE('/api/v1/auth/users/{id}/sessions/{sid}', { params: { path: { id: userId, sid } } }))
    if (outcome.ok) {
      // The list as it is now, in place (no flash of loading), before saying it worked.
      const now = await load()
      if (now.ok) sessions.setState(now)
    }
    setEnding(undefined)
    if (!outcome.ok) return setProblem(outcome.problem)
    setEnded(true)
  }

  return (
    <section className='card span-all' aria-labelledby='sessions-title'>
      <div className='row-between'>
        <h3 id='sessions-title'>{t('admin.users.sessions')}</h3>
        <Button tone='ghost' onClick={() => sessions.reload()}>{t('admin.refresh')}</Button>
      </div>
      {ended ? <Notice tone='success'>{t('admin.users.sessions.ended')}</Notice> : null}
      <ProblemAlert problem={problem} />
      <Loaded state={sessions.state} retry={sessions.reload}>
        {data => data.items.length === 0
          ? <p className='muted'>{t('admin.users.sessions.none')}</p>
          : (
            <div className='table-wrap'>
              <table>
                <thead>
                  <tr>
                    <th scope='col'>{t('admin.users.sessions.started')}</th>
                    <th scope='col' className='hide-narrow'>{t('admin.users.sessions.lastUsed')}</th>
                    <th scope='col' className='hide-narrow'>{t('admin.users.sessions.ip')}</th>
                    <th scope='col' className='hide-narrow'>{t('admin.users.sessions.device')}</th>
                    <th scope='col'><span className='visually-hidden'>{t('admin.users.sessions.actions')}</span></th>
                  </tr>
                </thead>
                <tbody>
                  {data.items.map(session => (
                    <tr key={session.id}>
                      <td className='nowrap'>{formatDate(session.createdAt)}{session.current ? <> <span className='badge badge-info'>{t('admin.users.sessions.current')}</span></> : null}</td>
                      <td className='nowrap hide-narrow'>{formatDate(session.lastUsedAt)}</td>
                      <td className='hide-narrow'>{session.ip ?? '—'}</td>
                      <td className='hide-narrow small'>{session.userAgent ?? '—'}</td>
                      <td className='cell-actions'>
                        <Button
                          tone='secondary'
                          busy={ending === session.id}
                          onClick={() => { end(session.id).catch(() => {}) }}
                        >
                          {t('admin.users.sessions.end')}<span className='visually-hidden'> {t('admin.users.sessions.endOf', { date: formatDate(session.createdAt) })}</span>
                        </Button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            )}
      </Loaded>
    </section>
  )
}

function ActivityCard ({ userId, round }: { userId: string, round: number }) {
  const { t, formatDate } = useI18n()
  const events = useLoad(() => call(client.GET('/api/v1/audit/events', { params: { query: { userId, limit: 6 } } })), [userId, round])
  return (
    <section className='card span-all' aria-labelledby='activity-title'>
      <h3 id='activity-title'>{t('admin.users.activity')}</h3>
      <Loaded state={events.state} retry={events.reload}>
        {data => data.items.length === 0
          ? <p className='muted'>{t('admin.users.activity.none')}</p>
          : (
            <ul className='activity'>
              {data.items.map(event => (
                <li key={event.seq}><code>{event.type}</code><span className='muted small'>{formatDate(event.time)}</span></li>
              ))}
            </ul>
            )}
      </Loaded>
      <Link to={`/admin/audit?userId=${encodeURIComponent(userId)}`}>{t('admin.users.activity.all')}</Link>
    </section>
  )
}

function DeleteCard ({ user }: { user: User }) {
  const { t } = useI18n()
  const navigate = useNavigate()
  const [confirming, setConfirming] = useState(false)
  const [busy, setBusy] = useState(false)
  const [problem, setProblem] = useState<Problem | undefined>()

  async function remove () {
    setBusy(true)
    setProblem(undefined)
    const outcome = await call(client.DELETE('/api/v1/users/{id}', { params: { path: { id: user.id } } }))
    setBusy(false)
    if (!outcome.ok) return setProblem(outcome.problem)
    setConfirming(false)
    await navigate('/admin/users', { state: { deleted: userLabel(user) } })
  }

  return (
    <section className='card span-all danger-zone' aria-labelledby='delete-title'>
      <h3 id='delete-title'>{t('admin.users.delete')}</h3>
      <p>{t('admin.users.delete.text')}</p>
      <Button tone='danger' onClick={() => { setProblem(undefined); setConfirming(true) }}>{t('admin.users.delete.button')}</Button>
      <ConfirmDialog
        open={confirming}
        title={t('admin.users.delete.title', { name: userLabel(user) })}
        confirmLabel={t('admin.users.delete.confirm')}
        busy={busy}
        problem={problem}
        onConfirm={() => { remove().catch(() => {}) }}
        onCancel={() => setConfirming(false)}
      >
        <p>{t('admin.users.delete.body')}</p>
      </ConfirmDialog>
    </section>
  )
}
