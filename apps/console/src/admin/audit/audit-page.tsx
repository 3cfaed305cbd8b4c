import { Fragment, useState } from 'react'
import type { FormEvent } from 'react'
import { Link, useSearchParams } from 'react-router'
import type { components } from '@app/client'
import { client } from '../../api.ts'
import { useI18n } from '../../i18n.tsx'
import type { Translate } from '../../i18n.tsx'
import { call } from '../../problem.ts'
import type { Outcome } from '../../problem.ts'
import { Button } from '../../ui/button.tsx'
import { Field } from '../../ui/field.tsx'
import { ProblemAlert } from '../../ui/problem-alert.tsx'
import { Loaded } from '../../ui/states.tsx'
import { collect } from '../../ui/validate.ts'
import { usePaged } from '../users/paging.ts'
import '../users/admin.css'

type AuditEvent = components['schemas']['AuditEvent']
type Filters = { userId: string, type: string, from: string, to: string }

const TYPE = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*(\.\*)?$/
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const FILTERS = ['userId', 'type', 'from', 'to'] as const

/** An ISO instant as a datetime-local input shows it (local time, minutes). */
function toLocalInput (iso: string): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return ''
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000)
  return local.toISOString().slice(0, 16)
}

/** A datetime-local value (local time) as an ISO instant; '' when empty or not a time. */
function fromLocalInput (value: string): string {
  if (!value) return ''
  const date = new Date(value)
  return Number.isNaN(date.getTime()) ? '' : date.toISOString()
}

function checkFilters (t: Translate, draft: Filters): Record<string, string> {
  const from = fromLocalInput(draft.from)
  const to = fromLocalInput(draft.to)
  return collect({
    type: draft.type.trim() && !TYPE.test(draft.type.trim()) ? t('admin.audit.filter.typeInvalid') : undefined,
    from: draft.from && !from ? t('admin.audit.filter.timeInvalid') : undefined,
    to: draft.to && !to ? t('admin.audit.filter.timeInvalid') : from && to && to <= from ? t('admin.audit.filter.toBeforeFrom') : undefined
  })
}

/** /admin/audit: the trail, filtered by user, type and time, with the hash chain's verification. */
export function AuditPage () {
  const { t } = useI18n()
  const [params, setParams] = useSearchParams()
  const filters: Filters = { userId: params.get('userId') ?? '', type: params.get('type') ?? '', from: params.get('from') ?? '', to: params.get('to') ?? '' }
  const active = FILTERS.filter(name => filters[name])
  const events = usePaged<AuditEvent>(cursor => call(client.GET('/api/v1/audit/events', {
    params: {
      query: {
        limit: 25,
        ...Object.fromEntries(active.map(name => [name, filters[name]])),
        ...(cursor ? { cursor } : {})
      }
    }
  })), [filters])

  return (
    <section className='section' aria-labelledby='audit-title'>
      <h2 id='audit-title'>{t('admin.audit.title')}</h2>
      <ChainCard />
      <FilterForm
        key={params.toString()}
        filters={filters}
        onApply={next => setParams(Object.fromEntries(FILTERS.filter(name => next[name]).map(name => [name, next[name]])))}
      />
      <Loaded state={events.state} retry={events.reload}>
        {() => events.items.length === 0
          ? <p className='card empty'>{active.length ? t('admin.audit.noMatch') : t('admin.audit.none')}</p>
          : (
            <>
              <EventTable events={events.items} filtered={active.length > 0} />
              <div className='pager'>
                <span className='count' role='status'>{t(events.items.length === 1 ? 'admin.audit.shown.one' : 'admin.audit.shown', { count: events.items.length })}</span>
                {events.nextCursor
                  ? <Button tone='secondary' busy={events.loadingMore} onClick={() => { events.more().catch(() => {}) }}>{t('admin.more')}</Button>
                  : <span className='muted small'>{t('admin.audit.end')}</span>}
                <Button tone='ghost' onClick={() => events.reload()}>{t('admin.refresh')}</Button>
              </div>
              <ProblemAlert problem={events.moreProblem} />
            </>
            )}
      </Loaded>
    </section>
  )
}

function FilterForm ({ filters, onApply }: { filters: Filters, onApply: (next: Filters) => void }) {
  const { t } = useI18n()
  const [draft, setDraft] = useState<Filters>({ ...filters, from: filters.from && toLocalInput(filters.from), to: filters.to && toLocalInput(filters.to) })
  const [errors, setErrors] = useState<Record<string, string>>({})
  const set = (name: keyof Filters) => (event: { target: { value: string } }) => setDraft(d => ({ ...d, [name]: event.target.value }))

  function apply (event: FormEvent) {
    event.preventDefault()
    const found = checkFilters(t, draft)
    setErrors(found)
    if (Object.keys(found).length > 0) return
    onApply({ userId: draft.userId.trim(), type: draft.type.trim(), from: fromLocalInput(draft.from), to: fromLocalInput(draft.to) })
  }

  return (
    <form className='card card-section filters' aria-label={t('admin.audit.filter.label')} onSubmit={apply} noValidate>
      <Field label={t('admin.audit.filter.userId')} name='userId' value={draft.userId} onChange={set('userId')} maxLength={200} hint={t('admin.audit.filter.userIdHint')} />
      <Field label={t('admin.audit.filter.type')} name='type' value={draft.type} onChange={set('type')} maxLength={100} hint={t('admin.audit.filter.typeHint')} error={errors.type} />
      <Field label={t('admin.audit.filter.from')} name='from' type='datetime-local' value={draft.from} onChange={set('from')} error={errors.from} />
      <Field label={t('admin.audit.filter.to')} name='to' type='datetime-local' value={draft.to} onChange={set('to')} error={errors.to} />
      <div className='filter-actions'>
        <Button type='submit'>{t('admin.audit.filter.apply')}</Button>
        <Button tone='secondary' onClick={() => { setErrors({}); onApply({ userId: '', type: '', from: '', to: '' }) }}>{t('admin.audit.filter.clear')}</Button>
      </div>
    </form>
  )
}

function EventTable ({ events, filtered }: { events: AuditEvent[], filtered: boolean }) {
  const { t, formatDate, locale } = useI18n()
  // To the second: events of one action happen within the same minute.
  const exact = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' })
  const [open, setOpen] = useState<number | undefined>()
  return (
    <div className='table-wrap'>
      <table>
        <caption className='table-caption'>{filtered ? t('admin.audit.caption.filtered') : t('admin.audit.caption.all')}</caption>
        <thead>
          <tr>
            <th scope='col'>{t('admin.audit.col.time')}</th>
            <th scope='col'>{t('admin.audit.col.type')}</th>
            <th scope='col' className='hide-narrow'>{t('admin.audit.col.user')}</th>
            <th scope='col' className='hide-narrow'>{t('admin.audit.col.source')}</th>
            <th scope='col'><span className='visually-hidden'>{t('admin.audit.col.details')}</span></th>
          </tr>
        </thead>
        <tbody>
          {events.map(event => {
            const expanded = open === event.seq
            const detailsId = `event-${event.seq}`
            return (
              <Fragment key={event.seq}>
                <tr>
                  <td className='nowrap'><time dateTime={event.time}>{exact.format(new Date(event.time))}</time></td>
                  <td><code>{event.type}</code>{event.erasedAt ? <> <span className='badge'>{t('admin.audit.erased')}</span></> : null}</td>
                  <td className='hide-narrow'>
                    {event.subject
                      ? UUID.test(event.subject) ? <Link className='id' to={`/admin/users/${event.subject}`}>{event.subject}</Link> : <span className='id'>{event.subject}</span>
                      : <span className='muted'>—</span>}
                  </td>
                  <td className='hide-narrow small'>{event.source}</td>
                  <td className='cell-actions'>
                    <Button tone='ghost' aria-expanded={expanded} aria-controls={detailsId} onClick={() => setOpen(expanded ? undefined : event.seq)}>
                      {expanded ? t('admin.audit.hide') : t('admin.audit.show')}<span className='visually-hidden'> {t('admin.audit.ofEvent', { seq: event.seq })}</span>
                    </Button>
                  </td>
                </tr>
                {expanded
                  ? (
                    <tr className='event-details' id={detailsId}>
                      <td colSpan={5}>
                        <dl className='details'>
                          <dt>{t('admin.audit.field.seq')}</dt><dd>{event.seq}</dd>
                          <dt>{t('admin.audit.field.id')}</dt><dd className='id'>{event.id}</dd>
                          <dt>{t('admin.audit.col.user')}</dt><dd className='id'>{event.subject ?? '—'}</dd>
                          <dt>{t('admin.audit.col.source')}</dt><dd>{event.source}</dd>
                          <dt>{t('admin.audit.field.received')}</dt><dd>{formatDate(event.receivedAt)}</dd>
                          {event.erasedAt ? <><dt>{t('admin.audit.field.erasedAt')}</dt><dd>{formatDate(event.erasedAt)}</dd></> : null}
                          <dt>{t('admin.audit.field.hash')}</dt><dd className='id'>{event.hash}</dd>
                          <dt>{t('admin.audit.field.prevHash')}</dt><dd className='id'>{event.prevHash}</dd>
                          <dt>{t('admin.audit.field.data')}</dt>
                          <dd><pre className='json' tabIndex={0} aria-label={t('admin.audit.field.data')}>{JSON.stringify(event.data, null, 2)}</pre></dd>
                        </dl>
                      </td>
                    </tr>
                    )
                  : null}
              </Fragment>
            )
          })}
        </tbody>
      </table>
    </div>
  )
}

type Verify = Extract<Awaited<ReturnType<typeof verifyChain>>, { ok: true }>['data']
const verifyChain = () => call(client.GET('/api/v1/audit/verify'))

/** The hash chain's check, said plainly: intact with how many events, or where and why it broke. */
function ChainCard () {
  const { t, formatDate } = useI18n()
  const [result, setResult] = useState<Outcome<Verify> | undefined>()
  const [busy, setBusy] = useState(false)
  const [at, setAt] = useState<Date | undefined>()

  async function verify () {
    setBusy(true)
    setResult(await verifyChain())
    setAt(new Date())
    setBusy(false)
  }

  return (
    <section className='card card-section' aria-labelledby='chain-title'>
      <div className='chain'>
        <div>
          <h3 id='chain-title'>{t('admin.audit.chain.title')}</h3>
          <p className='muted small'>{t('admin.audit.chain.text')}</p>
        </div>
        <Button busy={busy} onClick={() => { verify().catch(() => {}) }}>{busy ? t('admin.audit.chain.verifying') : t('admin.audit.chain.verify')}</Button>
      </div>
      <div aria-live='polite'>
        {result && !result.ok ? <ProblemAlert problem={result.problem} /> : null}
        {result?.ok && result.data.ok
          ? (
            <div className='alert alert-success chain-result' role='status' data-result='intact'>
              <p><strong>{t('admin.audit.chain.intact', { count: result.data.checked })}</strong></p>
              <p className='small'>{t('admin.audit.chain.head', { seq: result.data.head.seq, at: at ? formatDate(at) : '' })} <span className='id'>{result.data.head.hash.slice(0, 16)}…</span></p>
            </div>
            )
          : null}
        {result?.ok && !result.data.ok
          ? (
            <div className='alert alert-error chain-result' role='alert' data-result='broken'>
              <p><strong>{t('admin.audit.chain.broken', { seq: result.data.firstBroken?.seq ?? '?' })}</strong></p>
              <p>{t(`admin.audit.chain.reason.${result.data.firstBroken?.reason ?? 'hash_mismatch'}`)}</p>
              <p className='small'>{t('admin.audit.chain.brokenDetail', { count: result.data.checked, id: result.data.firstBroken?.eventId ?? '?', seq: result.data.head.seq })}</p>
            </div>
            )
          : null}
      </div>
    </section>
  )
}
