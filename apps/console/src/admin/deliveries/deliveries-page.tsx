import { useState } from 'react'
import type { FormEvent } from 'react'
import { Link, useSearchParams } from 'react-router'
import { client } from '../../api.ts'
import { useI18n } from '../../i18n.tsx'
import { call } from '../../problem.ts'
import type { Problem } from '../../problem.ts'
import { Button } from '../../ui/button.tsx'
import { Field } from '../../ui/field.tsx'
import { Notice, ProblemAlert } from '../../ui/problem-alert.tsx'
import { Loaded } from '../../ui/states.tsx'
import { useLoad } from '../../ui/use-load.ts'
import { DeliveriesTable, STATUSES } from './deliveries-table.tsx'
import type { Delivery, DeliveryStatus } from './deliveries-table.tsx'
import './deliveries.css'

const PAGE = 25

interface Filter { status?: DeliveryStatus | undefined, channel?: 'email' | 'sms' | undefined, userId?: string | undefined }

function filterOf (params: URLSearchParams): Filter {
  const status = params.get('status') as DeliveryStatus | null
  const channel = params.get('channel')
  return {
    status: status && STATUSES.includes(status) ? status : undefined,
    channel: channel === 'email' || channel === 'sms' ? channel : undefined,
    userId: params.get('userId')?.trim() || undefined
  }
}

const fetchPage = (filter: Filter, cursor?: string) =>
  call(client.GET('/api/v1/notifications', { params: { query: { ...filter, limit: PAGE, ...(cursor ? { cursor } : {}) } } }))

/** The status quick filters: all, the dead letters first (what an operator comes for), then each status. */
function StatusNav ({ params, current }: { params: URLSearchParams, current: DeliveryStatus | undefined }) {
  const { t } = useI18n()
  const to = (status?: DeliveryStatus) => {
    const next = new URLSearchParams(params)
    if (status) next.set('status', status)
    else next.delete('status')
    const query = next.toString()
    return `/admin/deliveries${query ? `?${query}` : ''}`
  }
  const choices: Array<[DeliveryStatus | undefined, string]> = [
    [undefined, t('admin.deliveries.all')],
    ['dead', t('admin.deliveries.deadLetters')],
    ...STATUSES.filter(s => s !== 'dead').map(s => [s, t(`admin.deliveries.status.${s}`)] as [DeliveryStatus, string])
  ]
  return (
    <nav aria-label={t('admin.deliveries.statusNav')} className='chips'>
      {choices.map(([status, label]) => (
        <Link key={status ?? 'all'} to={to(status)} className='chip' aria-current={current === status ? 'page' : undefined}>{label}</Link>
      ))}
    </nav>
  )
}

function FilterForm ({ filter, apply }: { filter: Filter, apply: (next: Filter) => void }) {
  const { t } = useI18n()
  const [channel, setChannel] = useState<'' | 'email' | 'sms'>(filter.channel ?? '')
  const [userId, setUserId] = useState(filter.userId ?? '')
  const submit = (event: FormEvent) => {
    event.preventDefault()
    apply({ status: filter.status, channel: channel === '' ? undefined : channel, userId: userId.trim() || undefined })
  }
  const clear = () => {
    setChannel('')
    setUserId('')
    apply({ status: filter.status })
  }
  return (
    <form className='filters' aria-label={t('admin.deliveries.filters')} onSubmit={submit}>
      <div className='field'>
        <label htmlFor='deliveries-channel'>{t('admin.deliveries.channel')}</label>
        <select id='deliveries-channel' value={channel} onChange={event => setChannel(event.target.value as '' | 'email' | 'sms')}>
          <option value=''>{t('admin.deliveries.anyChannel')}</option>
          <option value='email'>{t('admin.deliveries.channel.email')}</option>
          <option value='sms'>{t('admin.deliveries.channel.sms')}</option>
        </select>
      </div>
      <Field label={t('admin.deliveries.userId')} name='userId' value={userId} onChange={event => setUserId(event.target.value)} hint={t('admin.deliveries.userIdHint')} autoComplete='off' spellCheck={false} />
      <div className='filter-actions'>
        <Button type='submit'>{t('admin.deliveries.apply')}</Button>
        {filter.channel || filter.userId ? <Button tone='ghost' onClick={clear}>{t('admin.deliveries.clear')}</Button> : null}
      </div>
    </form>
  )
}

type RetryResult = { ok: true, delivery: Delivery } | { ok: false, problem: Problem }

/** One filter's deliveries: the first page, more on demand, retries changing their rows in place. */
function DeliveriesList ({ filter }: { filter: Filter }) {
  const { t } = useI18n()
  const { state, reload } = useLoad(() => fetchPage(filter))
  const [more, setMore] = useState<Delivery[]>([])
  const [cursor, setCursor] = useState<string | null | undefined>()
  const [moreProblem, setMoreProblem] = useState<Problem | undefined>()
  const [loadingMore, setLoadingMore] = useState(false)
  const [patched, setPatched] = useState<Record<string, Delivery>>({})
  const [retrying, setRetrying] = useState<string | undefined>()
  const [result, setResult] = useState<RetryResult | undefined>()

  async function retry (delivery: Delivery) {
    setRetrying(delivery.id)
    setResult(undefined)
    const outcome = await call(client.POST('/api/v1/notifications/{id}/retry', { params: { path: { id: delivery.id } } }))
    setRetrying(undefined)
    if (!outcome.ok) return setResult({ ok: false, problem: outcome.problem })
    const requeued = { ...delivery, ...outcome.data }
    setPatched(p => ({ ...p, [delivery.id]: requeued }))
    setResult({ ok: true, delivery: requeued })
  }

  async function showMore (from: string) {
    setLoadingMore(true)
    setMoreProblem(undefined)
    const page = await fetchPage(filter, from)
    setLoadingMore(false)
    if (!page.ok) return setMoreProblem(page.problem)
    setMore(m => [...m, ...page.data.items])
    setCursor(page.data.nextCursor)
  }

  return (
    <Loaded state={state} retry={reload}>
      {first => {
        const items = [...first.items, ...more].map(d => patched[d.id] ?? d)
        const next = cursor === undefined ? first.nextCursor : cursor
        return (
          <>
            <div aria-live='polite'>
              {result?.ok ? <Notice tone='success'>{t('admin.deliveries.retried', { template: result.delivery.template, to: result.delivery.to })}</Notice> : null}
            </div>
            <ProblemAlert problem={result && !result.ok ? result.problem : undefined} />
            {items.length === 0
              ? <p className='empty'>{filter.status === 'dead' && !filter.channel && !filter.userId ? t('admin.deliveries.emptyDead') : t('admin.deliveries.empty')}</p>
              : <DeliveriesTable items={items} retrying={retrying} onRetry={d => { retry(d).catch(() => {}) }} />}
            <ProblemAlert problem={moreProblem} />
            <div className='row-between list-footer'>
              <span className='muted small'>{items.length > 0 ? t('admin.deliveries.count', { count: items.length }) : null}</span>
              {next ? <Button tone='secondary' busy={loadingMore} onClick={() => { showMore(next).catch(() => {}) }}>{t('admin.deliveries.more')}</Button> : null}
            </div>
          </>
        )
      }}
    </Loaded>
  )
}

/** /admin/deliveries: every message with its status, the dead letters with a retry, filtered by status, channel and user. */
export function DeliveriesPage () {
  const { t } = useI18n()
  const [params, setParams] = useSearchParams()
  const [round, setRound] = useState(0)
  const filter = filterOf(params)
  const apply = (next: Filter) => {
    const query = new URLSearchParams()
    for (const [key, value] of Object.entries(next)) if (value) query.set(key, value)
    setParams(query)
  }
  return (
    <section className='section deliveries' aria-labelledby='deliveries-title'>
      <div className='row-between section-head'>
        <h2 id='deliveries-title'>{t('admin.deliveries.title')}</h2>
        <Button tone='secondary' onClick={() => setRound(r => r + 1)}>{t('admin.deliveries.refresh')}</Button>
      </div>
      <p className='muted'>{t('admin.deliveries.intro')}</p>
      <StatusNav params={params} current={filter.status} />
      <FilterForm key={`${filter.channel ?? ''}|${filter.userId ?? ''}`} filter={filter} apply={apply} />
      <DeliveriesList key={`${params.toString()}#${round}`} filter={filter} />
    </section>
  )
}
