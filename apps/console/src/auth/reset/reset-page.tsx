import { useT } from '../../i18n.tsx'
import { AuthLayout } from '../../ui/layout.tsx'

/** Placeholder until this page lands. */
export function ResetPage () {
  const t = useT()
  return <AuthLayout title={t('auth.reset.title')}><p>…</p></AuthLayout>
}
