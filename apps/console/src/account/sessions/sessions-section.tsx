import { useT } from '../../i18n.tsx'

/** Placeholder until this section lands. */
export function SessionsSection () {
  const t = useT()
  return <section className='section' aria-labelledby='section-title'><h2 id='section-title'>{t('account.nav.sessions')}</h2></section>
}
