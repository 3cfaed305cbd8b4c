import { useT } from '../../i18n.tsx'
import { AuthLayout } from '../../ui/layout.tsx'

/** Placeholder until this page lands. */
export function LoginPage () {
  const t = useT()
  return <AuthLayout title={t('auth.login.title')}><p>…</p></AuthLayout>
}
