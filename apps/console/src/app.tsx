import { Navigate, Route, Routes } from 'react-router'
import { AuthRoutes } from './auth/routes.tsx'
import { AccountRoutes } from './account/routes.tsx'
import { AdminRoutes } from './admin/routes.tsx'
import { InboxPage } from './inbox/inbox-page.tsx'
import { RequireSignIn, useSession } from './session.tsx'
import { Loading, NotFoundPage } from './ui/states.tsx'

/** `/` opens the account page, or the login page when nobody is signed in (API.md, Hosted pages). */
function Home () {
  const { state } = useSession()
  if (state.status === 'loading') return <main id='main' className='auth-main'><Loading /></main>
  return <Navigate replace to={state.status === 'signed-in' ? '/account' : '/auth/login'} />
}

export function App () {
  return (
    <Routes>
      <Route path='/' element={<Home />} />
      <Route path='/auth/*' element={<AuthRoutes />} />
      <Route path='/account/*' element={<RequireSignIn><AccountRoutes /></RequireSignIn>} />
      <Route path='/admin/*' element={<RequireSignIn admin><AdminRoutes /></RequireSignIn>} />
      <Route path='/dev/inbox' element={<InboxPage />} />
      <Route path='*' element={<NotFoundPage />} />
    </Routes>
  )
}
