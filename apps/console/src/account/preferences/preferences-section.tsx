import { useState } from 'react'
import type { FormEvent } from 'react'
import { Link } from 'react-router'
import type { paths } from '@app/client'
import { client } from '../../api.ts'
import { useT } from '../../i18n.tsx'
import { call } from '../../problem.ts'
import { useUser } from '../../session.tsx'
import type { User } from '../../session.tsx'
import { Button } from '../../ui/button.tsx'
import { Notice, ProblemAlert } from '../../ui/problem-alert.tsx'
import { Loaded } from '../../ui/states.tsx'
import { useLoad } from '../../ui/use-load.ts'
import { useSubmit } from '../../ui/use-submit.ts'
import './preferences.css'

type Preferences = paths['/api/v1/users/me/preferences']['get']['responses'][200]['content']['application/json']
type Channel = 'email' | 'sms'
const CHANNELS: Channel[] = ['email', 'sms']

/**
 * The event types whose messages follow the preferences (the notification
 * service's preference consumers), and what each means when the user chose
 * nothing for it: every channel, or none for the opt-in sign-in alert.
 */
const EVENTS: Array<{ type: string, key: string, optIn?: true }> = [
  { type: 'order.created', key: 'order' },
  { type: 'user.updated', key: 'profile' },
  { type: 'auth.login_succeeded', key: 'login', optIn: true }
]

/** The channels an event type uses now, spelled out (the API leaves a type the user never chose absent). */
const chosen = (prefs: Preferences, type: string, optIn = false): Channel[] => prefs.events[type] ?? (optIn ? [] : [...CHANNELS])

function PreferencesForm ({ initial, user }: { initial: Preferences, user: User }) {
  const t = useT()
  const [prefs, setPrefs] = useState<Preferences>(() => ({
    channels: initial.channels,
    events: { ...initial.events, ...Object.fromEntries(EVENTS.map(e => [e.type, chosen(initial, e.type, e.optIn)])) }
  }))
  const [saved, setSaved] = useState(false)
  const { busy, problem, submit } = useSubmit()
  const address: Record<Channel, string | null> = { email: user.email, sms: user.phone }

  const setChannel = (channel: Channel, on: boolean) => { setSaved(false); setPrefs({ ...prefs, channels: { ...prefs.channels, [channel]: on } }) }
  const setEvent = (type: string, channel: Channel, on: boolean) => {
    setSaved(false)
    const now = prefs.events[type] ?? []
    const next = on ? CHANNELS.filter(c => c === channel || now.includes(c)) : now.filter(c => c !== channel)
    setPrefs({ ...prefs, events: { ...prefs.events, [type]: next } })
  }

  async function save (event: FormEvent) {
    event.preventDefault()
    const outcome = await submit({}, () => call(client.PUT('/api/v1/users/me/preferences', { body: prefs })))
    if (outcome?.ok) { setPrefs(outcome.data); setSaved(true) }
  }

  return (
    <form onSubmit={(event) => { save(event).catch(() => {}) }} noValidate className='stack'>
      <ProblemAlert problem={problem} />
      <fieldset className='card channels'>
        <legend>{t('account.preferences.channels')}</legend>
        <p className='muted small'>{t('account.preferences.channelsHint')}</p>
        {CHANNELS.map(channel => (
          <div key={channel} className='channel'>
            <label className='checkbox'>
              <input type='checkbox' name={`channel-${channel}`} checked={prefs.channels[channel]} disabled={!address[channel]} onChange={e => setChannel(channel, e.target.checked)} />
              <span>{t(`account.preferences.channel.${channel}`)}</span>
            </label>
            <p className='hint channel-hint'>
              {address[channel]
                ? t('account.preferences.to', { address: address[channel] })
                : <>{t(`account.preferences.no.${channel}`)} <Link to='/account/profile'>{t('account.preferences.addInProfile')}</Link></>}
            </p>
          </div>
        ))}
        {user.email && !user.emailVerified ? <Notice tone='warning'>{t('account.preferences.unverified')}</Notice> : null}
      </fieldset>

      <div className='card'>
        <h3 id='events-title'>{t('account.preferences.events')}</h3>
        <p className='muted small'>{t('account.preferences.eventsHint')}</p>
        <div className='table-wrap'>
          <table aria-labelledby='events-title' className='events-table'>
            <thead>
              <tr>
                <th scope='col'>{t('account.preferences.message')}</th>
                {CHANNELS.map(c => <th scope='col' key={c} className='center'>{t(`account.preferences.column.${c}`)}</th>)}
              </tr>
            </thead>
            <tbody>
              {EVENTS.map(e => (
                <tr key={e.type}>
                  <th scope='row'>
                    <span className='event-name'>{t(`account.preferences.event.${e.key}`)}</span>
                    <span className='muted small event-hint'>{t(`account.preferences.event.${e.key}.hint`)}</span>
                  </th>
                  {CHANNELS.map(c => (
                    <td key={c} className='center'>
                      <input
                        type='checkbox' className='event-check'
                        aria-label={t('account.preferences.by', { message: t(`account.preferences.event.${e.key}`), channel: t(`account.preferences.column.${c}`) })}
                        checked={(prefs.events[e.type] ?? []).includes(c)}
                        disabled={!prefs.channels[c] || !address[c]}
                        onChange={ev => setEvent(e.type, c, ev.target.checked)}
                      />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p className='muted small security-note'>{t('account.preferences.security')}</p>
      </div>
      {saved ? <Notice tone='success'>{t('account.preferences.saved')}</Notice> : null}
      <div><Button type='submit' busy={busy}>{t('account.preferences.save')}</Button></div>
    </form>
  )
}

/** /account/notifications: the channels, and which messages go where (GET/PUT /api/v1/users/me/preferences). */
export function PreferencesSection () {
  const t = useT()
  const user = useUser()
  const { state, reload } = useLoad(() => call(client.GET('/api/v1/users/me/preferences')))
  return (
    <section className='section' aria-labelledby='section-title'>
      <h2 id='section-title'>{t('account.nav.notifications')}</h2>
      <Loaded state={state} retry={reload}>
        {(prefs: Preferences) => <PreferencesForm initial={prefs} user={user} />}
      </Loaded>
    </section>
  )
}
