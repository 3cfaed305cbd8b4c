import { useCallback, useEffect, useState } from 'react'
import { client } from '../../api.ts'
import { useI18n } from '../../i18n.tsx'
import { call } from '../../problem.ts'
import type { Outcome } from '../../problem.ts'
import { Button } from '../../ui/button.tsx'
import { LoadError, Loading } from '../../ui/states.tsx'
import { ServiceCard, useNumber, useServiceName } from './service-card.tsx'
import type { Health } from './service-card.tsx'
import './health.css'

const AUTO_REFRESH_MS = 10_000

/** Loads the health view, keeping the last answer on screen while a refresh runs (no flash of a spinner). */
function useHealth () {
  const [outcome, setOutcome] = useState<Outcome<Health> | undefined>()
  const [busy, setBusy] = useState(false)
  const refresh = useCallback(async () => {
    setBusy(true)
    const next = await call(client.GET('/api/v1/admin/health'))
    setBusy(false)
    setOutcome(next as Outcome<Health>)
  }, [])
  useEffect(() => { refresh().catch(() => {}) }, [refresh])
  return { outcome, busy, refresh }
}

function Summary ({ health }: { health: Health }) {
  const { t } = useI18n()
  const nameOf = useServiceName()
  const bad = health.services.filter(s => s.status !== 'ok')
  if (bad.length === 0) {
    return <div className='alert alert-success health-summary'><p>{t('admin.health.allReady', { count: health.services.length })}</p></div>
  }
  const names = bad.map(s => `${nameOf(s.name)} (${t(`admin.health.status.${s.status}`)})`).join(', ')
  return (
    <div className={`alert ${health.status === 'down' ? 'alert-error' : 'alert-warning'} health-summary`}>
      <p>{t('admin.health.attention', { bad: bad.length, count: health.services.length, names })}</p>
    </div>
  )
}

function Totals ({ health }: { health: Health }) {
  const { t } = useI18n()
  const n = useNumber()
  const sum = (pick: (m: NonNullable<Health['services'][number]['metrics']>) => number | null) =>
    health.services.reduce((total, s) => total + (s.metrics ? pick(s.metrics) ?? 0 : 0), 0)
  const deliveries = health.services.find(s => s.metrics?.deliveries)?.metrics?.deliveries
  const stats: Array<[string, string, boolean]> = [
    [t('admin.health.requests'), n(sum(m => m.requests)), false],
    [t('admin.health.errors'), n(sum(m => m.errors)), sum(m => m.errors) > 0],
    [t('admin.health.outboxBacklog'), n(sum(m => m.outboxBacklog)), false],
    [t('admin.health.deadLetters'), n(sum(m => m.deadLetters)), sum(m => m.deadLetters) > 0]
  ]
  return (
    <section aria-labelledby='health-totals' className='health-totals'>
      <h3 id='health-totals' className='visually-hidden'>{t('admin.health.totals')}</h3>
      <dl className='grid stats'>
        {stats.map(([label, value, bad]) => (
          <div className={`stat${bad ? ' stat-bad' : ''}`} key={label}>
            <dt className='muted small'>{label}</dt>
            <dd className='value'>{value}</dd>
          </div>
        ))}
        {deliveries
          ? (
            <div className={`stat stat-wide${deliveries.failed > 0 ? ' stat-bad' : ''}`}>
              <dt className='muted small'>{t('admin.health.deliveries')}</dt>
              <dd className='value value-small'>{t('admin.health.deliveriesValue', { sent: n(deliveries.sent), retry: n(deliveries.retry), failed: n(deliveries.failed) })}</dd>
            </div>
            )
          : null}
      </dl>
      <p className='muted small'>{t('admin.health.sinceStart')}</p>
    </section>
  )
}

/** /admin/health: every service's readiness and numbers, as the gateway sees them; refreshed by hand or every 10 s. */
export function HealthPage () {
  const { t, formatDate } = useI18n()
  const { outcome, busy, refresh } = useHealth()
  const [auto, setAuto] = useState(false)
  useEffect(() => {
    if (!auto) return
    const timer = setInterval(() => { refresh().catch(() => {}) }, AUTO_REFRESH_MS)
    return () => clearInterval(timer)
  }, [auto, refresh])
  const health = outcome?.ok ? outcome.data : undefined
  return (
    <section className='section health' aria-labelledby='health-title' aria-busy={busy}>
      <div className='row-between health-head'>
        <h2 id='health-title'>{t('admin.health.title')}</h2>
        <div className='row'>
          <label className='checkbox'>
            <input type='checkbox' checked={auto} onChange={event => setAuto(event.target.checked)} />
            {t('admin.health.auto')}
          </label>
          <Button tone='secondary' busy={busy} onClick={() => { refresh().catch(() => {}) }}>{t('admin.health.refresh')}</Button>
        </div>
      </div>
      <p className='muted'>
        {t('admin.health.intro')}
        {health ? <> <span className='checked-at'>{t('admin.health.checkedAt', { time: formatDate(health.checkedAt) })}</span></> : null}
      </p>
      {!outcome ? <Loading /> : null}
      {outcome && !outcome.ok ? <LoadError problem={outcome.problem} retry={() => { refresh().catch(() => {}) }} /> : null}
      {health
        ? (
          <>
            <div aria-live='polite'><Summary health={health} /></div>
            <Totals health={health} />
            <div className='service-grid' role='list' aria-label={t('admin.health.services')}>
              {health.services.map(service => <div role='listitem' key={service.name}><ServiceCard service={service} /></div>)}
            </div>
          </>
          )
        : null}
    </section>
  )
}
