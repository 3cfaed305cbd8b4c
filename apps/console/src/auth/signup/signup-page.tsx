import { useState } from 'react'
import { Link } from 'react-router'
import { useT } from '../../i18n.tsx'
import { AuthLayout } from '../../ui/layout.tsx'
import { Choice, ReturnRefused } from './flow-ui.tsx'
import type { Channel } from './flow-ui.tsx'
import { usePageReturn, withReturn } from '../return-link.ts'
import { EmailSignup, CheckInbox } from './email-signup.tsx'
import { PhoneSignup } from './phone-signup.tsx'

/**
 * Sign-up (API.md, Hosted pages): an email and a password, after which the
 * address gets a confirmation link; or a phone number and the code sent to
 * it, which signs the person in at once.
 */
export function SignupPage () {
  const t = useT()
  const pageReturn = usePageReturn()
  const [channel, setChannel] = useState<Channel>('email')
  const [registered, setRegistered] = useState<string | undefined>()
  // While a texted code is awaited, the page is about that number only.
  const [awaitingCode, setAwaitingCode] = useState(false)

  if (registered) {
    return <AuthLayout title={t('auth.signup.checkTitle')}><CheckInbox email={registered} /></AuthLayout>
  }
  return (
    <AuthLayout title={t('auth.signup.title')}>
      <ReturnRefused />
      {awaitingCode
        ? null
        : (
          <>
            <p className='auth-lead'>{t('auth.signup.lead')}</p>
            <Choice
              legend={t('auth.signup.with')}
              value={channel}
              onChange={setChannel}
              options={[{ value: 'email', label: t('auth.flow.email') }, { value: 'phone', label: t('auth.flow.phone') }]}
            />
          </>
          )}
      {channel === 'email' ? <EmailSignup onRegistered={setRegistered} /> : <PhoneSignup onCodeStep={setAwaitingCode} />}
      <p className='auth-footer'>
        {t('auth.signup.haveAccount')} <Link to={withReturn('/auth/login', pageReturn)}>{t('auth.flow.signIn')}</Link>
      </p>
    </AuthLayout>
  )
}
