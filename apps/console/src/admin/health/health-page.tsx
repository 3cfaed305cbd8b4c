import { useT } from '../../i18n.tsx'

/** Placeholder until this section lands. */
export function HealthPage () {
  const t = useT()
  return <section className='section' aria-labelledby='section-title'><h2 id='section-title'>{t('admin.nav.health')}</h2></section>
}
