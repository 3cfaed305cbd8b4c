import { useT } from '../../i18n.tsx'

/** Placeholder until this section lands. */
export function OrdersPage () {
  const t = useT()
  return <section className='section' aria-labelledby='section-title'><h2 id='section-title'>{t('admin.nav.orders')}</h2></section>
}
