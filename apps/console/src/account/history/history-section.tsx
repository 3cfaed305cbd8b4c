import { useState } from 'react'
import type { paths } from '@app/client'
import { client } from '../../api.ts'
import { useI18n } from '../../i18n.tsx'
import type { Translate } from '../../i18n.tsx'
import { call } from '../../problem.ts'
import type { Outcome } from '../../problem.ts'
import { Button } from '../../ui/button.tsx'
import { ProblemAlert } from '../../ui/problem-alert.tsx'
import { Loaded } from '../../ui/states.tsx'
import { useLoad } from '../../ui/use-load.ts'
import './history.css'

type Page = paths['/api/v1/notifications/me']['get']['responses'][200]['content']['application/json']
type Delivery = Page['items'][number]

const PAGE_SIZE = 20
const STATUS_TONE: Record<Delivery['status'], string> = { sent: 'success', queued: 'info', sending: 'info', failed: 'warning', dead: 'danger' }

/** The message's name in words; a template the console does not know is shown by its name. */
export function templateLabel (t: Translate, template: string): string {
  const key = `account.history.template.${template}`
  const label = t(key)
  return label === key ? template.replaceAll('_', ' ') : label
}

function DeliveryRow ({ item }: { item: Delivery }) {
  const { t, formatDate } = useI18n()
  return (
    <tr>
      <th scope='row'>{templateLabel(t, item.template)}</th>
      <td className='col-channel'>{t(`account.history.channel.${item.channel}`)}</td>
      <td className='col-status'>
        <span className={`badge badge-${STATUS_TONE[item.status]}`}>{t(`account.history.status.${item.status}`)}</span>
        {item.attempts > 1 ? <span className='muted small attempts'>{t('account.history.attempts', { count: item.attempts })}</span> : null}
      </td>
      <td className='col-created'><time dateTime={item.createdAt}>{formatDate(item.createdAt)}</time></td>
      <td className='col-sent'>{item.sentAt ? <time dateTime={item.sentAt}>{formatDate(item.sentAt)}</time> : <span className='muted'>—</span>}</td>
    </tr>
  )
}

function HistoryTable ({ first }: { first: Page }) {
  const t = useI18n().t
  const [items, setItems] = useState(first.items)
  const [cursor, setCursor] = useState(first.nextCursor)
  const [more, setMore] = useState<{ busy: boolean, failed?: Outcome<Page> }>({ busy: false })

  async function loadMore () {
    if (!cursor) return
    setMore({ busy: true })
    const next = await call(client.GET('/api/v1/notifications/me', { params: { query: { limit: PAGE_SIZE, cursor } } }))
    if (next.ok) {
      setItems(items.concat(next.data.items))
      setCursor(next.data.nextCursor)
      setMore({ busy: false })
    } else {
      setMore({ busy: false, failed: next })
    }
  }

  if (items.length === 0) return <p className='empty'>{t('account.history.empty')}</p>
  return (
    <>
      <div className='table-wrap'>
        <table className='history-table'>
          <caption className='visually-hidden'>{t('account.history.caption')}</caption>
          <thead>
            <tr>
              <th scope='col'>{t('account.history.message')}</th>
              <th scope='col'>{t('account.history.channel')}</th>
              <th scope='col'>{t('account.history.status')}</th>
              <th scope='col'>{t('account.history.created')}</th>
              <th scope='col'>{t('account.history.sent')}</th>
            </tr>
          </thead>
          <tbody>{items.map(item => <DeliveryRow key={item.id} item={item} />)}</tbody>
        </table>
      </div>
      {more.failed && !more.failed.ok ? <ProblemAlert problem={more.failed.problem} /> : null}
      {cursor ? <div className='more'><Button tone='secondary' busy={more.busy} onClick={() => { loadMore().catch(() => {}) }}>{t('account.history.more')}</Button></div> : null}
    </>
  )
}

/** /account/history: every message sent to the account, newest first; what it was and how it went, never its content. */
export function HistorySection () {
  const t = useI18n().t
  const { state, reload } = useLoad(() => call(client.GET('/api/v1/notifications/me', { params: { query: { limit: PAGE_SIZE } } })))
  return (
    <section className='section' aria-labelledby='section-title'>
      <div className='row-between section-head'>
        <h2 id='section-title'>{t('account.nav.history')}</h2>
        <Button tone='secondary' busy={state === undefined} onClick={reload}>{t('account.common.refresh')}</Button>
      </div>
      <p className='muted'>{t('account.history.intro')}</p>
      <Loaded state={state} retry={reload}>
        {(page: Page) => <HistoryTable first={page} />}
      </Loaded>
    </section>
  )
}
