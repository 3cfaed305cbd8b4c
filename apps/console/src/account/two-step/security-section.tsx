import { useT } from '../../i18n.tsx'
import { MfaPart } from './mfa-part.tsx'
import { PasskeysPart } from './passkeys-part.tsx'
import './security.css'

/** /account/security: two-step login (authenticator app, email or SMS codes, recovery codes) and passkeys. */
export function SecuritySection () {
  const t = useT()
  return (
    <section className='section security' aria-labelledby='section-title'>
      <h2 id='section-title'>{t('account.nav.security')}</h2>
      <p className='muted'>{t('account.security.lead')}</p>
      <MfaPart />
      <PasskeysPart />
    </section>
  )
}
