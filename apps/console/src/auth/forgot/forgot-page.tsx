import { useT } from '../../i18n.tsx'
import { AuthLayout } from '../../ui/layout.tsx'

/** Placeholder until this page lands. */
export function ForgotPage () {
  const t = useT()
  return <AuthLayout title={t('auth.forgot.title')}><p>…</p></AuthLayout>
}
