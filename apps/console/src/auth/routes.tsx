import { Route, Routes } from 'react-router'
import { NotFoundPage } from '../ui/states.tsx'
import { LoginPage } from './login/login-page.tsx'
import { CallbackPage } from './login/callback-page.tsx'
import { SignupPage } from './signup/signup-page.tsx'
import { ForgotPage } from './forgot/forgot-page.tsx'
import { ResetPage } from './reset/reset-page.tsx'
import { VerifyEmailPage } from './verify-email/verify-email-page.tsx'

/** The hosted pages (API.md, Hosted pages); each returns to an allowed `redirectTo` when it is done. */
export function AuthRoutes () {
  return (
    <Routes>
      <Route path='login' element={<LoginPage />} />
      <Route path='callback' element={<CallbackPage />} />
      <Route path='signup' element={<SignupPage />} />
      <Route path='forgot' element={<ForgotPage />} />
      <Route path='reset' element={<ResetPage />} />
      <Route path='verify-email' element={<VerifyEmailPage />} />
      <Route path='*' element={<NotFoundPage />} />
    </Routes>
  )
}
