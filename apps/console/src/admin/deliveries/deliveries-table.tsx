import { Link } from 'react-router'
import type { paths } from '@app/client'
import { useI18n } from '../../i18n.tsx'
import { Button } from '../../ui/button.tsx'

export type Delivery = paths['/api/v1/notifications']['get']['responses']['200']['content']['application/json']['items'][number]
export type DeliveryStatus = Delivery['status']
export const STATUSES: DeliveryStatus[] = ['queued', 'sending', 'sent', 'failed', 'dead']

const TONE: Record<DeliveryStatus, string> = { queued: 'info', sending: 'info', sent: 'success', failed: 'warning', dead: 'danger' }

export function StatusBadge ({ status }: { status: DeliveryStatus }) {
  const { t } = useI18n()
  return <span className={`badge badge-${TONE[status]}`}>{t(`admin.deliveries.status.${status}`)}</span>
}

interface TableProps {
  items: Delivery[]
  /** The delivery being sent again, if any (its button is busy). */
  retrying: string | undefined
  onRetry: (delivery: Delivery) => void
}

/** The deliveries as a table: when, to whom, which message, how it went, and a retry for the dead ones. */
export function DeliveriesTable ({ items, retrying, onRetry }: TableProps) {
  const { t, formatDate } = useI18n()
  return (
    <div className='table-wrap'>
      <table className='deliveries-table'>
        <caption className='visually-hidden'>{t('admin.deliveries.caption')}</caption>
        <thead>
          <tr>
            <th scope='col'>{t('admin.deliveries.col.message')}</th>
            <th scope='col'>{t('admin.deliveries.col.recipient')}</th>
            <th scope='col'>{t('admin.deliveries.col.status')}</th>
            <th scope='col'>{t('admin.deliveries.col.lastError')}</th>
            <th scope='col'><span className='visually-hidden'>{t('admin.deliveries.col.action')}</span></th>
          </tr>
        </thead>
        <tbody>
          {items.map(d => (
            <tr key={d.id} data-id={d.id} data-status={d.status}>
              <td data-label={t('admin.deliveries.col.message')}>
                <div>
                  <span className='badge'>{t(`admin.deliveries.channel.${d.channel}`)}</span>{' '}
                  <code className='template'>{d.template}</code>
                  <time className='small muted block' dateTime={d.createdAt}>{formatDate(d.createdAt)}</time>
                </div>
              </td>
              <td data-label={t('admin.deliveries.col.recipient')}>
                <div>
                  <span className='recipient'>{d.to}</span>
                  {d.userId
                    ? <Link className='small muted-link' to={`/admin/users/${encodeURIComponent(d.userId)}`} title={d.userId}>{t('admin.deliveries.user', { id: `…${d.userId.slice(-8)}` })}</Link>
                    : null}
                </div>
              </td>
              <td data-label={t('admin.deliveries.col.status')}>
                <div>
                  <StatusBadge status={d.status} />
                  <span className='small muted block'>
                    {d.status === 'sent' && d.sentAt
                      ? t('admin.deliveries.sentAt', { time: formatDate(d.sentAt) })
                      : t('admin.deliveries.attempts', { attempts: d.attempts, max: d.maxAttempts })}
                  </span>
                </div>
              </td>
              <td className='last-error' data-label={t('admin.deliveries.col.lastError')}>
                <div>{d.lastError ?? <span className='muted'>{t('admin.deliveries.noError')}</span>}</div>
              </td>
              <td className='action'>
                {d.status === 'dead'
                  ? (
                    <Button
                      tone='secondary' busy={retrying === d.id} disabled={retrying !== undefined && retrying !== d.id}
                      aria-label={t('admin.deliveries.retryLabel', { template: d.template, to: d.to })} onClick={() => onRetry(d)}
                    >
                      {t('admin.deliveries.retry')}
                    </Button>
                    )
                  : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
