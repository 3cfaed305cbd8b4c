import { useState } from 'react'
import type { FormEvent } from 'react'
import { Link, Route, Routes, useParams, useSearchParams } from 'react-router'
import type { components } from '@app/client'
import { client } from '../../api.ts'
import { useI18n } from '../../i18n.tsx'
import { call } from '../../problem.ts'
import { Button } from '../../ui/button.tsx'
import { Field } from '../../ui/field.tsx'
import { Notice, ProblemAlert } from '../../ui/problem-alert.tsx'
import { Loaded } from '../../ui/states.tsx'
import { useLoad } from '../../ui/use-load.ts'
import { usePaged } from '../users/paging.ts'
import '../users/admin.css'

type Order = components['schemas']['Order']

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
/** Whose orders belonged to a deleted user (the order service's ANONYMOUS_USER_ID). */
const DELETED_USER = '00000000-0000-0000-0000-000000000000'

/** /admin/orders: every order (or one user's), and /admin/orders/:id. */
export function OrdersPage () {
  return (
    <Routes>
      <Route index element={<OrderList />} />
      <Route path=':id' element={<OrderDetail />} />
    </Routes>
  )
}

/** An amount in minor units (cents, yen) in the currency's own format. */
export function useMoney () {
  const { locale } = useI18n()
  return (minor: number, currency: string) => {
    try {
      const format = new Intl.NumberFormat(locale, { style: 'currency', currency })
      const digits = format.resolvedOptions().maximumFractionDigits ?? 2
      return format.format(minor / 10 ** digits)
    } catch {
      return `${minor} ${currency}`
    }
  }
}

const shortId = (id: string) => id.slice(-12)

function Customer ({ userId }: { userId: string }) {
  const { t } = useI18n()
  if (userId === DELETED_USER) return <span className='muted'>{t('admin.orders.deletedUser')}</span>
  return <Link className='id' to={`/admin/users/${userId}`} aria-label={t('admin.orders.customerLabel', { id: userId })}>{shortId(userId)}</Link>
}

function OrderList () {
  const { t, formatDate } = useI18n()
  const money = useMoney()
  const [params, setParams] = useSearchParams()
  const userId = params.get('userId') ?? ''
  const [draft, setDraft] = useState(userId)
  const [error, setError] = useState<string | undefined>()
  const orders = usePaged<Order>(cursor => call(client.GET('/api/v1/orders', {
    params: { query: { limit: 25, ...(userId ? { userId } : { all: true }), ...(cursor ? { cursor } : {}) } }
  })), [userId])

  function filter (event: FormEvent) {
    event.preventDefault()
    const next = draft.trim()
    if (next && !UUID.test(next)) return setError(t('admin.orders.filter.invalid'))
    setError(undefined)
    setParams(next ? { userId: next } : {})
  }

  return (
    <section className='section' aria-labelledby='orders-title'>
      <h2 id='orders-title'>{t('admin.orders.title')}</h2>
      <form className='card card-section search-form' aria-label={t('admin.orders.filter.label')} onSubmit={filter} noValidate>
        <Field label={t('admin.orders.filter.userId')} name='userId' value={draft} error={error} hint={t('admin.orders.filter.hint')} onChange={event => setDraft(event.target.value)} />
        <Button type='submit'>{t('admin.orders.filter.apply')}</Button>
        {userId ? <Button tone='secondary' onClick={() => { setDraft(''); setError(undefined); setParams({}) }}>{t('admin.orders.filter.clear')}</Button> : null}
      </form>
      <Loaded state={orders.state} retry={orders.reload}>
        {() => orders.items.length === 0
          ? <p className='card empty'>{userId ? t('admin.orders.noneForUser') : t('admin.orders.none')}</p>
          : (
            <>
              <div className='table-wrap'>
                <table>
                  <caption className='table-caption'>{userId ? t('admin.orders.caption.user', { id: userId }) : t('admin.orders.caption.all')}</caption>
                  <thead>
                    <tr>
                      <th scope='col'>{t('admin.orders.col.order')}</th>
                      <th scope='col'>{t('admin.orders.col.placed')}</th>
                      <th scope='col' className='hide-narrow'>{t('admin.orders.col.customer')}</th>
                      <th scope='col' className='hide-narrow num'>{t('admin.orders.col.items')}</th>
                      <th scope='col' className='num'>{t('admin.orders.col.total')}</th>
                      <th scope='col' className='hide-narrow'>{t('admin.orders.col.status')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {orders.items.map(order => (
                      <tr key={order.id}>
                        <td><Link className='id' to={`/admin/orders/${order.id}`} aria-label={t('admin.orders.orderLabel', { id: order.id })}>{shortId(order.id)}</Link></td>
                        <td className='nowrap'>{formatDate(order.createdAt)}</td>
                        <td className='hide-narrow'><Customer userId={order.userId} /></td>
                        <td className='hide-narrow num'>{order.items.reduce((n, item) => n + item.quantity, 0)}</td>
                        <td className='num nowrap'>{money(order.total, order.currency)}</td>
                        <td className='hide-narrow'><span className='badge badge-info'>{t(`admin.orders.status.${order.status}`)}</span></td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <div className='pager'>
                <span className='count' role='status'>{t('admin.orders.shown', { count: orders.items.length })}</span>
                {orders.nextCursor
                  ? <Button tone='secondary' busy={orders.loadingMore} onClick={() => { orders.more().catch(() => {}) }}>{t('admin.more')}</Button>
                  : null}
                <Button tone='ghost' onClick={() => orders.reload()}>{t('admin.refresh')}</Button>
              </div>
              <ProblemAlert problem={orders.moreProblem} />
            </>
            )}
      </Loaded>
    </section>
  )
}

function OrderDetail () {
  const { id = '' } = useParams()
  const { t, formatDate } = useI18n()
  const money = useMoney()
  const order = useLoad(() => call(client.GET('/api/v1/orders/{id}', { params: { path: { id } } })), [id])
  return (
    <section className='section' aria-labelledby='order-title'>
      <Link className='back-link' to='/admin/orders'>← {t('admin.orders.back')}</Link>
      {order.state && !order.state.ok && (order.state.problem.status === 404 || order.state.problem.status === 400)
        ? <Notice tone='warning'>{t('admin.orders.notFound')}</Notice>
        : (
          <Loaded state={order.state} retry={order.reload}>
            {data => (
              <>
                <div className='detail-header'>
                  <h2 id='order-title'>{t('admin.orders.detailTitle', { id: shortId(data.id) })}</h2>
                  <span className='badge badge-info'>{t(`admin.orders.status.${data.status}`)}</span>
                </div>
                <div className='detail-grid'>
                  <section className='card' aria-labelledby='order-summary'>
                    <h3 id='order-summary'>{t('admin.orders.summary')}</h3>
                    <dl className='details'>
                      <dt>{t('admin.orders.field.id')}</dt><dd className='id'>{data.id}</dd>
                      <dt>{t('admin.orders.col.customer')}</dt>
                      <dd>{data.userId === DELETED_USER ? <span className='muted'>{t('admin.orders.deletedUser')}</span> : <Link className='id' to={`/admin/users/${data.userId}`}>{data.userId}</Link>}</dd>
                      <dt>{t('admin.orders.col.placed')}</dt><dd>{formatDate(data.createdAt)}</dd>
                      <dt>{t('admin.orders.field.currency')}</dt><dd>{data.currency}</dd>
                      <dt>{t('admin.orders.col.total')}</dt><dd><strong>{money(data.total, data.currency)}</strong></dd>
                    </dl>
                  </section>
                  <section className='card span-all' aria-labelledby='order-items'>
                    <h3 id='order-items'>{t('admin.orders.lines')}</h3>
                    <div className='table-wrap'>
                      <table>
                        <thead>
                          <tr>
                            <th scope='col'>{t('admin.orders.col.sku')}</th>
                            <th scope='col' className='num'>{t('admin.orders.col.quantity')}</th>
                            <th scope='col' className='num'>{t('admin.orders.col.unitPrice')}</th>
                            <th scope='col' className='num'>{t('admin.orders.col.amount')}</th>
                          </tr>
                        </thead>
                        <tbody>
                          {data.items.map((item, index) => (
                            <tr key={`${item.sku}-${index}`}>
                              <td><code>{item.sku}</code></td>
                              <td className='num'>{item.quantity}</td>
                              <td className='num nowrap'>{money(item.unitPrice, data.currency)}</td>
                              <td className='num nowrap'>{money(item.unitPrice * item.quantity, data.currency)}</td>
                            </tr>
                          ))}
                        </tbody>
                        <tfoot>
                          <tr>
                            <td colSpan={3}>{t('admin.orders.col.total')}</td>
                            <td className='num nowrap'>{money(data.total, data.currency)}</td>
                          </tr>
                        </tfoot>
                      </table>
                    </div>
                  </section>
                </div>
              </>
            )}
          </Loaded>
          )}
    </section>
  )
}
