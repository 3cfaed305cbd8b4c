import { useState } from 'react'
import type { paths } from '@app/client'
import { client } from '../../api.ts'
import { useI18n } from '../../i18n.tsx'
import type { Translate } from '../../i18n.tsx'
import { call } from '../../problem.ts'
import type { Problem } from '../../problem.ts'
import { useSession } from '../../session.tsx'
import { Button } from '../../ui/button.tsx'
import { Notice, ProblemAlert } from '../../ui/problem-alert.tsx'
import { Loaded } from '../../ui/states.tsx'
import { useLoad } from '../../ui/use-load.ts'
import { describeDevice, deviceKind } from './device.ts'
import { DeviceIcon } from './device-icon.tsx'
import './sessions.css'

type Session = paths['/api/v1/auth/sessions']['get']['responses'][200]['content']['application/json']['items'][number]

function deviceName (t: Translate, session: Session): string {
  const { browser, system } = describeDevice(session.userAgent)
  if (browser && system) return t('account.sessions.browserOn', { browser, system })
  return browser ?? system ?? t('account.sessions.unknownDevice')
}

/** Ends one session; a 404 means it had already ended, which is what was asked. */
const endSession = async (id: string) => {
  const outcome = await call(client.DELETE('/api/v1/auth/sessions/{id}', { params: { path: { id } } }))
  return outcome.ok || outcome.problem.status === 404 ? undefined : outcome.problem
}

function SessionItem ({ session, busy, onEnd, onSignOut }: { session: Session, busy: boolean, onEnd: () => void, onSignOut: () => void }) {
  const { t, formatDate } = useI18n()
  const name = deviceName(t, session)
  return (
    <li className='session' aria-label={name}>
      <div className={`session-device${session.current ? ' session-device-current' : ''}`}><DeviceIcon kind={deviceKind(session.userAgent)} /></div>
      <div className='session-body'>
        <p className='session-name'>
          <strong>{name}</strong>
          {session.current ? <span className='badge badge-info'>{t('account.sessions.current')}</span> : null}
        </p>
        <p className='muted small session-meta'>
          {session.ip ? <span>{t('account.sessions.ip', { ip: session.ip })}</span> : null}
          <span>{t('account.sessions.since', { date: formatDate(session.createdAt) })}</span>
          <span>{t('account.sessions.lastUsed', { date: formatDate(session.lastUsedAt) })}</span>
        </p>
      </div>
      <div className='session-action'>
        {session.current
          ? <Button tone='secondary' onClick={onSignOut}>{t('nav.signOut')}</Button>
          : <Button tone='secondary' busy={busy} onClick={onEnd} aria-label={t('account.sessions.endNamed', { name })}>{t('account.sessions.end')}</Button>}
      </div>
    </li>
  )
}

function SessionList ({ items, reload }: { items: Session[], reload: () => void }) {
  const t = useI18n().t
  const { signOut } = useSession()
  const [ending, setEnding] = useState<Set<string>>(new Set())
  const [problem, setProblem] = useState<Problem | undefined>()
  const [notice, setNotice] = useState<string | undefined>()
  const others = items.filter(s => !s.current)
  // This device first, then the others as the API orders them (most recently used first).
  const sorted = [...items.filter(s => s.current), ...others]

  /** Ends the given sessions one after another (there is no route for "all but mine"); then lists them again. */
  async function end (ids: string[]) {
    setProblem(undefined)
    setNotice(undefined)
    setEnding(new Set(ids))
    let ended = 0
    for (const id of ids) {
      const failed = await endSession(id)
      if (failed) { setProblem(failed); break }
      ended += 1
    }
    setEnding(new Set())
    if (ended > 0) setNotice(t(ended === 1 ? 'account.sessions.endedOne' : 'account.sessions.endedMany', { count: ended }))
    reload()
  }

  return (
    <div className='stack'>
      {notice ? <Notice tone='success'>{notice}</Notice> : null}
      <ProblemAlert problem={problem} />
      <ul className='list sessions' aria-label={t('account.sessions.listLabel')}>
        {sorted.map(s => (
          <SessionItem
            key={s.id} session={s} busy={ending.has(s.id)}
            onEnd={() => { end([s.id]).catch(() => {}) }}
            onSignOut={() => { signOut().catch(() => {}) }}
          />
        ))}
      </ul>
      <div className='row-between sessions-footer'>
        <p className='muted small'>{others.length === 0 ? t('account.sessions.onlyThis') : t('account.sessions.othersHint')}</p>
        {others.length > 0
          ? <Button tone='danger' busy={ending.size > 1} onClick={() => { end(others.map(s => s.id)).catch(() => {}) }}>{t('account.sessions.endOthers', { count: others.length })}</Button>
          : null}
      </div>
    </div>
  )
}

/** /account/sessions: where the account is signed in; end one, or every one but this. */
export function SessionsSection () {
  const t = useI18n().t
  const load = () => call(client.GET('/api/v1/auth/sessions'))
  const { state, reload, setState } = useLoad(load)
  // After ending some: the list again without the spinner, so what was just said stays on screen.
  const refresh = () => { load().then(setState, () => {}) }
  return (
    <section className='section' aria-labelledby='section-title'>
      <h2 id='section-title'>{t('account.nav.sessions')}</h2>
      <p className='muted'>{t('account.sessions.intro')}</p>
      <Loaded state={state} retry={reload}>
        {(data: { items: Session[] }) => <SessionList items={data.items} reload={refresh} />}
      </Loaded>
    </section>
  )
}
