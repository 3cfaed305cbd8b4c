import { Link } from 'react-router'
import type { paths } from '@app/client'
import { useI18n } from '../../i18n.tsx'

export type Health = paths['/api/v1/admin/health']['get']['responses']['200']['content']['application/json']
export type ServiceHealth = Health['services'][number]
export type Status = Health['status']
type ServiceNumbers = NonNullable<ServiceHealth['metrics']>

const TONE: Record<Status, string> = { ok: 'success', degraded: 'warning', down: 'danger' }

export function StatusBadge ({ status }: { status: Status }) {
  const { t } = useI18n()
  return <span className={`badge badge-${TONE[status]}`}>{t(`admin.health.status.${status}`)}</span>
}

/** A service's name in words, with its technical name for the logs. */
export const useServiceName = () => {
  const { t } = useI18n()
  return (name: string) => {
    const key = `admin.health.service.${name}`
    const label = t(key)
    return label === key ? name : label
  }
}

export function useNumber () {
  const { locale } = useI18n()
  const format = new Intl.NumberFormat(locale)
  return (n: number) => format.format(n)
}

function NumberList ({ metrics }: { metrics: ServiceNumbers }) {
  const { t } = useI18n()
  const n = useNumber()
  const rows: Array<[string, string, string?]> = [
    [t('admin.health.requests'), n(metrics.requests)],
    [t('admin.health.errors'), n(metrics.errors), metrics.errors > 0 ? 'bad' : undefined]
  ]
  if (metrics.outboxBacklog !== null) rows.push([t('admin.health.outboxBacklog'), n(metrics.outboxBacklog)])
  if (metrics.outboxAbandoned) rows.push([t('admin.health.outboxAbandoned'), n(metrics.outboxAbandoned), 'bad'])
  if (metrics.deadLetters !== null) rows.push([t('admin.health.deadLetters'), n(metrics.deadLetters), metrics.deadLetters > 0 ? 'bad' : undefined])
  const d = metrics.deliveries
  return (
    <dl className='details numbers'>
      {rows.map(([label, value, tone]) => (
        <div key={label} className='number-row'>
          <dt>{label}</dt>
          <dd className={tone === 'bad' ? 'number-bad' : undefined}>{value}</dd>
        </div>
      ))}
      {d
        ? (
          <div className='number-block'>
            <dt>{t('admin.health.deliveries')}</dt>
            <dd className={d.failed > 0 ? 'number-bad' : undefined}>{t('admin.health.deliveriesValue', { sent: n(d.sent), retry: n(d.retry), failed: n(d.failed) })}</dd>
          </div>
          )
        : null}
    </dl>
  )
}

/** Why each instance that is down is down, in words. */
function Problems ({ service }: { service: ServiceHealth }) {
  const { t } = useI18n()
  if (service.instances.length === 0) return <p className='service-problem'>{t('admin.health.noInstance')}</p>
  const down = service.instances.filter(i => i.error !== null)
  if (down.length === 0) return null
  return (
    <ul className='service-problems'>
      {down.map(i => (
        <li key={i.url}>
          {service.instances.length > 1 ? <span className='mono small'>{i.url}: </span> : null}
          {t(`admin.health.error.${i.error!}`)}
        </li>
      ))}
    </ul>
  )
}

const RANK: Record<Status, number> = { ok: 0, degraded: 1, down: 2 }

/**
 * The checks to show: the gateway's one per upstream (`upstream:<name>`)
 * become one chip while they are all ready, and only those that are not are
 * named; every other check as it is.
 */
function groupedChecks (checks: Record<string, Status>, upstreamsLabel: string): Array<[string, Status]> {
  const entries = Object.entries(checks) as Array<[string, Status]>
  const upstreams = entries.filter(([name]) => name.startsWith('upstream:'))
  if (upstreams.length < 2) return entries
  const others = entries.filter(([name]) => !name.startsWith('upstream:'))
  const unhealthy = upstreams.filter(([, status]) => status !== 'ok')
  const ready = upstreams.length - unhealthy.length
  const summary: [string, Status] = [`${upstreamsLabel} ${ready}/${upstreams.length}`, unhealthy.reduce<Status>((w, [, s]) => RANK[s] > RANK[w] ? s : w, 'ok')]
  return [summary, ...unhealthy, ...others]
}

/** One service: its status, why it is not ready, each readiness check, and its numbers. */
export function ServiceCard ({ service }: { service: ServiceHealth }) {
  const { t } = useI18n()
  const nameOf = useServiceName()
  const id = `service-${service.name}`
  const checks = groupedChecks(service.checks, t('admin.health.upstreams'))
  return (
    <article className={`service-card service-${service.status}`} aria-labelledby={id} data-service={service.name} data-status={service.status}>
      <header className='service-head'>
        <h3 id={id}>{nameOf(service.name)}</h3>
        <StatusBadge status={service.status} />
      </header>
      <p className='muted small service-meta'>
        <span className='mono'>{service.name}</span>
        {service.instances.length > 1 ? <> · {t('admin.health.instances', { count: service.instances.length })}</> : null}
        {service.instances.length === 1 && service.instances[0]!.url !== 'self' ? <> · {t('admin.health.millis', { ms: service.instances[0]!.millis })}</> : null}
      </p>
      <Problems service={service} />
      {checks.length > 0
        ? (
          <ul className='checks' aria-label={t('admin.health.checks')}>
            {checks.map(([name, status]) => (
              <li key={name} className={`check check-${status}`}>
                <span className='dot' aria-hidden='true' />
                <span className='check-name'>{name}</span>
                <span className='check-status'>{t(`admin.health.status.${status}`)}</span>
              </li>
            ))}
          </ul>
          )
        : null}
      {service.metrics
        ? <NumberList metrics={service.metrics} />
        : service.status !== 'down' ? <p className='muted small'>{t('admin.health.noNumbers')}</p> : null}
      {service.metrics?.deliveries && service.metrics.deliveries.failed > 0
        ? <p className='small'><Link to='/admin/deliveries?status=dead'>{t('admin.health.deliveriesLink')}</Link></p>
        : null}
    </article>
  )
}
