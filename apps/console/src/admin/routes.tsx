import { Navigate, NavLink, Route, Routes } from 'react-router'
import { useT } from '../i18n.tsx'
import { AppLayout } from '../ui/layout.tsx'
import { UsersPage } from './users/users-page.tsx'
import { AuditPage } from './audit/audit-page.tsx'
import { OrdersPage } from './orders/orders-page.tsx'
import { DeliveriesPage } from './deliveries/deliveries-page.tsx'
import { HealthPage } from './health/health-page.tsx'

const PAGES = [
  { path: 'users', label: 'admin.nav.users', element: <UsersPage /> },
  { path: 'audit', label: 'admin.nav.audit', element: <AuditPage /> },
  { path: 'deliveries', label: 'admin.nav.deliveries', element: <DeliveriesPage /> },
  { path: 'orders', label: 'admin.nav.orders', element: <OrdersPage /> },
  { path: 'health', label: 'admin.nav.health', element: <HealthPage /> }
]

/** /admin (admin role only; the API checks it again): users, audit, deliveries, orders, health. */
export function AdminRoutes () {
  const t = useT()
  const nav = (
    <nav aria-label={t('admin.nav.label')} className='side-nav'>
      {PAGES.map(p => <NavLink key={p.path} to={`/admin/${p.path}`}>{t(p.label)}</NavLink>)}
    </nav>
  )
  return (
    <AppLayout title={t('admin.title')} nav={nav}>
      <Routes>
        <Route index element={<Navigate replace to='users' />} />
        {PAGES.map(p => <Route key={p.path} path={`${p.path}/*`} element={p.element} />)}
        <Route path='*' element={<Navigate replace to='users' />} />
      </Routes>
    </AppLayout>
  )
}
