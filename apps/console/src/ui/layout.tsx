import { NavLink, Link } from 'react-router'
import type { ReactNode } from 'react'
import { LOCALES, useI18n } from '../i18n.tsx'
import type { Locale } from '../i18n.tsx'
import { isAdmin, useSession } from '../session.tsx'
import { useDevInbox } from './dev-inbox.ts'

function LanguageSwitch () {
  const { locale, setLocale, t } = useI18n()
  return (
    <label className='language'>
      <span className='visually-hidden'>{t('app.language')}</span>
      <select value={locale} onChange={event => setLocale(event.target.value as Locale)}>
        {LOCALES.map(l => <option key={l} value={l}>{l === 'en' ? 'English' : 'Deutsch'}</option>)}
      </select>
    </label>
  )
}

function Brand () {
  const { t } = useI18n()
  return <Link to='/' className='brand'><span className='brand-mark' aria-hidden='true'>◆</span>{t('app.name')}</Link>
}

function SkipLink () {
  const { t } = useI18n()
  return <a className='skip-link' href='#main'>{t('app.skip')}</a>
}

/** The hosted sign-in pages: one centred card, the brand and the language. */
export function AuthLayout ({ title, children, wide = false }: { title: string, children: ReactNode, wide?: boolean }) {
  return (
    <>
      <SkipLink />
      <header className='auth-header'><Brand /><LanguageSwitch /></header>
      <main id='main' className='auth-main'>
        <div className={`card auth-card${wide ? ' auth-card-wide' : ''}`}>
          <h1>{title}</h1>
          {children}
        </div>
      </main>
    </>
  )
}

/** The account page, the admin console and the dev inbox: a header with navigation, then the page. */
export function AppLayout ({ title, nav, children }: { title: string, nav?: ReactNode, children: ReactNode }) {
  const { t } = useI18n()
  const { state, signOut } = useSession()
  const user = state.status === 'signed-in' ? state.user : undefined
  const devInbox = useDevInbox()
  return (
    <>
      <SkipLink />
      <header className='app-header'>
        <Brand />
        <nav aria-label={t('nav.main')} className='app-nav'>
          {user ? <NavLink to='/account'>{t('nav.account')}</NavLink> : null}
          {user && isAdmin(user) ? <NavLink to='/admin'>{t('nav.admin')}</NavLink> : null}
          {devInbox ? <NavLink to='/dev/inbox'>{t('nav.inbox')}</NavLink> : null}
        </nav>
        <div className='app-header-end'>
          <LanguageSwitch />
          {user ? <button type='button' className='button button-ghost' onClick={() => { signOut().catch(() => {}) }}>{t('nav.signOut')}</button> : null}
        </div>
      </header>
      <div className='app-body'>
        {nav ? <aside className='app-side'>{nav}</aside> : null}
        <main id='main' className='app-main' tabIndex={-1}>
          <h1>{title}</h1>
          {children}
        </main>
      </div>
    </>
  )
}
