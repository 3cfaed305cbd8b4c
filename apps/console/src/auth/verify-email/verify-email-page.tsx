import { useT } from '../../i18n.tsx'
import { AuthLayout } from '../../ui/layout.tsx'

/** Placeholder until this page lands. */
export function VerifyEmailPage () {
  const t = useT()
  return <AuthLayout title={t('auth.verifyEmail.title')}><p>…</p></AuthLayout>
}
