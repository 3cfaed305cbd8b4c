import { useT } from '../../i18n.tsx'
import { AuthLayout } from '../../ui/layout.tsx'

/** Placeholder until this page lands. */
export function SignupPage () {
  const t = useT()
  return <AuthLayout title={t('auth.signup.title')}><p>…</p></AuthLayout>
}
