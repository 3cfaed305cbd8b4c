import { useT } from '../../i18n.tsx'

/** Placeholder until this section lands. */
export function HistorySection () {
  const t = useT()
  return <section className='section' aria-labelledby='section-title'><h2 id='section-title'>{t('account.nav.history')}</h2></section>
}
