import { Navigate, NavLink, Route, Routes } from 'react-router'
import { useT } from '../i18n.tsx'
import { AppLayout } from '../ui/layout.tsx'
import { ProfileSection } from './profile/profile-section.tsx'
import { PreferencesSection } from './preferences/preferences-section.tsx'
import { SessionsSection } from './sessions/sessions-section.tsx'
import { SecuritySection } from './two-step/security-section.tsx'
import { PasswordSection } from './password/password-section.tsx'
import { HistorySection } from './history/history-section.tsx'
import { DeleteSection } from './delete/delete-section.tsx'

const SECTIONS = [
  { path: 'profile', label: 'account.nav.profile', element: <ProfileSection /> },
  { path: 'notifications', label: 'account.nav.notifications', element: <PreferencesSection /> },
  { path: 'history', label: 'account.nav.history', element: <HistorySection /> },
  { path: 'sessions', label: 'account.nav.sessions', element: <SessionsSection /> },
  { path: 'security', label: 'account.nav.security', element: <SecuritySection /> },
  { path: 'password', label: 'account.nav.password', element: <PasswordSection /> },
  { path: 'delete', label: 'account.nav.delete', element: <DeleteSection /> }
]

/** /account: one page per section, with the sections listed beside (above, on a phone). */
export function AccountRoutes () {
  const t = useT()
  const nav = (
    <nav aria-label={t('account.nav.label')} className='side-nav'>
      {SECTIONS.map(s => <NavLink key={s.path} to={`/account/${s.path}`}>{t(s.label)}</NavLink>)}
    </nav>
  )
  return (
    <AppLayout title={t('account.title')} nav={nav}>
      <Routes>
        <Route index element={<Navigate replace to='profile' />} />
        {SECTIONS.map(s => <Route key={s.path} path={s.path} element={s.element} />)}
        <Route path='*' element={<Navigate replace to='profile' />} />
      </Routes>
    </AppLayout>
  )
}
