import { useEffect, useState } from 'react'
import type { FormEvent } from 'react'
import { Link, useSearchParams } from 'react-router'
import { useI18n } from '../i18n.tsx'
import type { Outcome } from '../problem.ts'
import { AppLayout } from '../ui/layout.tsx'
import { Button } from '../ui/button.tsx'
import { LoadError, Loading } from '../ui/states.tsx'
import { useSubmit } from '../ui/use-submit.ts'
import { ConfirmDialog } from '../ui/confirm-dialog.tsx'
import { preview } from './extract.ts'
import { MessageDetail } from './message-detail.tsx'
import { useInbox } from './use-inbox.ts'
import type { Channel, InboxMessage } from './use-inbox.ts'
import './inbox.css'

const LIVE_KEY = 'gatehouse.inbox.live'

function Filters ({ to, channel, onApply }: { to: string, channel: Channel | '', onApply: (to: string, channel: Channel | '') => void }) {
  const { t } = useI18n()
  const [draft, setDraft] = useState(to)
  const [kind, setKind] = useState<Channel | ''>(channel)
  useEffect(() => { setDraft(to); setKind(channel) }, [to, channel])
  const submit = (event: FormEvent) => { event.preventDefault(); onApply(draft.trim(), kind) }
  return (
    <form className='inbox-filters' role='search' aria-label={t('inbox.filter')} onSubmit={submit}>
      <div className='field'>
        <label htmlFor='inbox-to'>{t('inbox.recipient')}</label>
        <input id='inbox-to' type='search' value={draft} placeholder={t('inbox.recipientHint')} autoComplete='off' onChange={e => setDraft(e.target.value)} />
      </div>
      <div className='field'>
        <label htmlFor='inbox-channel'>{t('inbox.channel')}</label>
        <select id='inbox-channel' value={kind} onChange={e => { const next = e.target.value as Channel | ''; setKind(next); onApply(draft.trim(), next) }}>
          <option value=''>{t('inbox.allChannels')}</option>
          <option value='email'>{t('inbox.email')}</option>
          <option value='sms'>{t('inbox.sms')}</option>
        </select>
      </div>
      <Button type='submit' tone='secondary'>{t('inbox.apply')}</Button>
      {to || channel ? <Button tone='ghost' onClick={() => onApply('', '')}>{t('inbox.showAll')}</Button> : null}
    </form>
  )
}

function MessageList ({ items, selected, hrefOf }: { items: InboxMessage[], selected: string | null, hrefOf: (id: string) => string }) {
  const { t, formatDate } = useI18n()
  return (
    <ul className='list inbox-list' aria-label={t('inbox.messages')}>
      {items.map(m => (
        <li key={m.id} className={m.id === selected ? 'selected' : undefined}>
          <Link to={hrefOf(m.id)} aria-current={m.id === selected ? 'true' : undefined}>
            <span className='inbox-item-top'>
              <span className={`badge${m.channel === 'sms' ? ' badge-warning' : ''}`}>{t(m.channel === 'sms' ? 'inbox.sms' : 'inbox.email')}</span>
              <span className='inbox-item-to'>{m.to}</span>
            </span>
            <span className='inbox-item-preview'>{preview(m)}</span>
            <time className='muted small' dateTime={m.createdAt}>{formatDate(m.createdAt)}</time>
          </Link>
        </li>
      ))}
    </ul>
  )
}

/** "Clear inbox", asked first in the console's confirmation dialog; it closes once the inbox is empty. */
function ClearInbox ({ clear }: { clear: () => Promise<Outcome<unknown>> }) {
  const { t } = useI18n()
  const [asking, setAsking] = useState(false)
  const { busy, problem, submit, setProblem } = useSubmit()
  const confirm = async () => {
    const outcome = await submit({}, clear)
    if (outcome?.ok) setAsking(false)
  }
  return (
    <>
      <Button tone='danger' onClick={() => { setProblem(undefined); setAsking(true) }}>{t('inbox.clear')}</Button>
      <ConfirmDialog
        open={asking}
        title={t('inbox.clearTitle')}
        confirmLabel={t('inbox.clearConfirm')}
        busy={busy}
        problem={problem}
        onConfirm={() => { confirm().catch(() => {}) }}
        onCancel={() => setAsking(false)}
      >
        <p>{t('inbox.clearText')}</p>
      </ConfirmDialog>
    </>
  )
}

function Empty ({ filtered }: { filtered: boolean }) {
  const { t } = useI18n()
  return (
    <div className='card inbox-empty'>
      <h2>{t(filtered ? 'inbox.noneMatching' : 'inbox.empty')}</h2>
      {filtered ? null : <p>{t('inbox.emptyHint')} <Link to='/auth/signup'>{t('inbox.emptySignUp')}</Link></p>}
    </div>
  )
}

/** `/dev/inbox`: every email and SMS the platform would have sent, readable, with their codes and links at hand. */
export function InboxPage () {
  const { t, formatDate } = useI18n()
  const [params, setParams] = useSearchParams()
  const to = params.get('to') ?? ''
  const rawChannel = params.get('channel')
  const channel: Channel | '' = rawChannel === 'email' || rawChannel === 'sms' ? rawChannel : ''
  const selected = params.get('id')
  const [live, setLive] = useState(() => globalThis.localStorage.getItem(LIVE_KEY) !== 'off')
  const inbox = useInbox({ to, channel }, live)

  const hrefOf = (id: string) => {
    const next = new URLSearchParams(params)
    next.set('id', id)
    return `?${next.toString()}`
  }
  const apply = (nextTo: string, nextChannel: Channel | '') => {
    const next = new URLSearchParams()
    if (nextTo) next.set('to', nextTo)
    if (nextChannel) next.set('channel', nextChannel)
    setParams(next)
  }
  const toggleLive = (on: boolean) => {
    globalThis.localStorage.setItem(LIVE_KEY, on ? 'on' : 'off')
    setLive(on)
  }
  const chosen = inbox.items?.find(m => m.id === selected) ?? inbox.items?.[0]
  const off = inbox.problem?.status === 404

  return (
    <AppLayout title={t('inbox.title')}>
      <p className='muted'>{t('inbox.intro')}</p>
      <div className='inbox-toolbar'>
        <Filters to={to} channel={channel} onApply={apply} />
        <div className='row'>
          <Button tone='secondary' busy={inbox.busy && inbox.items !== undefined} onClick={() => { inbox.refresh().catch(() => {}) }}>{t('inbox.refresh')}</Button>
          <label className='checkbox'>
            <input type='checkbox' checked={live} onChange={e => toggleLive(e.target.checked)} />
            {t('inbox.live')}
          </label>
          <ClearInbox clear={inbox.clear} />
        </div>
      </div>
      {inbox.items
        ? (
          <p className='muted small inbox-status'>
            {t(inbox.items.length === 1 ? 'inbox.count1' : 'inbox.count', { n: inbox.items.length })}
            {inbox.updatedAt ? ` · ${t('inbox.updated', { time: formatDate(inbox.updatedAt) })}` : ''}
          </p>
          )
        : null}
      {/* Announced once per update that brought something, not on every quiet poll. */}
      <p className='visually-hidden' role='status' aria-live='polite'>
        {inbox.arrived > 0 ? t(inbox.arrived === 1 ? 'inbox.arrived1' : 'inbox.arrived', { n: inbox.arrived }) : ''}
      </p>
      {off ? <div className='alert alert-warning' role='alert'><p><strong>{t('inbox.off')}</strong> {t('inbox.offHint')}</p></div> : null}
      {inbox.problem && !off ? <LoadError problem={inbox.problem} retry={() => { inbox.refresh().catch(() => {}) }} /> : null}
      {inbox.items === undefined
        ? (inbox.problem ? null : <Loading />)
        : inbox.items.length === 0
          ? <Empty filtered={Boolean(to || channel)} />
          : (
            <div className={`inbox${selected ? ' inbox-has-selection' : ''}`}>
              <div className='inbox-list-pane'>
                <MessageList items={inbox.items} selected={chosen?.id ?? null} hrefOf={hrefOf} />
              </div>
              <div className='inbox-detail-pane'>
                {selected ? <Link className='inbox-back' to={`?${new URLSearchParams([...params].filter(([k]) => k !== 'id')).toString()}`}>{t('inbox.back')}</Link> : null}
                {chosen ? <MessageDetail key={chosen.id} message={chosen} /> : null}
              </div>
            </div>
            )}
    </AppLayout>
  )
}
