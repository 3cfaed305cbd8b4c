import { useState } from 'react'
import { client } from '../../api.ts'
import { useT } from '../../i18n.tsx'
import { call } from '../../problem.ts'
import { Button } from '../../ui/button.tsx'
import { Field } from '../../ui/field.tsx'
import { Notice, ProblemAlert } from '../../ui/problem-alert.tsx'
import { useSubmit } from '../../ui/use-submit.ts'
import { checkEmail, collect } from '../../ui/validate.ts'
import { callbackUrl } from '../return-to.ts'
import type { HostedConfig } from '../return-to.ts'

/** "Email me a link": the link's page confirms with a button and comes back to /auth/callback with a one-time code. */
export function MagicLinkForm ({ config, target, onBack }: { config: HostedConfig, target: string | undefined, onBack: () => void }) {
  const t = useT()
  const [email, setEmail] = useState('')
  const [sentTo, setSentTo] = useState<string | undefined>()
  const { busy, problem, fields, submit } = useSubmit()

  async function send (event: React.FormEvent) {
    event.preventDefault()
    const value = email.trim()
    const redirectTo = callbackUrl(config, 'magic-link', target)
    const outcome = await submit(collect({ email: checkEmail(t, value) }), () =>
      call(client.POST('/api/v1/auth/magic-link', { body: { email: value, ...(redirectTo ? { redirectTo } : {}) } })))
    if (outcome?.ok) setSentTo(value)
  }

  return (
    <div className='stack'>
      <h2>{t('auth.link.title')}</h2>
      {sentTo ? <Notice tone='success'>{t('auth.link.sent', { email: sentTo })}</Notice> : <p className='muted'>{t(config.magicLinkSignup ? 'auth.link.lead.signup' : 'auth.link.lead')}</p>}
      <ProblemAlert problem={problem && !fields.email ? problem : undefined} />
      <form noValidate onSubmit={(event) => { send(event).catch(() => {}) }}>
        <Field label={t('auth.link.email')} name='email' type='email' value={email} onChange={event => setEmail(event.target.value)} error={fields.email} autoComplete='email' autoFocus required />
        <Button type='submit' tone={sentTo ? 'secondary' : 'primary'} className='button-block' busy={busy}>{sentTo ? t('auth.link.again') : t('auth.link.send')}</Button>
      </form>
      <p className='links'><button type='button' className='button-ghost link-button' onClick={onBack}>{t('auth.login.back')}</button></p>
    </div>
  )
}
