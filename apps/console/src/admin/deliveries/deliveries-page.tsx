import { useT } from '../../i18n.tsx'

/** Placeholder until this section lands. */
export function DeliveriesPage () {
  const t = useT()
  return <section className='section' aria-labelledby='section-title'><h2 id='section-title'>{t('admin.nav.deliveries')}</h2></section>
}
