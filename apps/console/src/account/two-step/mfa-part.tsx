import { useEffect, useState } from 'react'
import QRCode from 'qrcode'
import { client } from '../../api.ts'
import { useT } from '../../i18n.tsx'
import { call } from '../../problem.ts'
import { useUser } from '../../session.tsx'
import { Button } from '../../ui/button.tsx'
import { Field } from '../../ui/field.tsx'
import { Notice, ProblemAlert } from '../../ui/problem-alert.tsx'
import { Loaded } from '../../ui/states.tsx'
import { useLoad } from '../../ui/use-load.ts'
import { useSubmit } from '../../ui/use-submit.ts'
import { collect } from '../../ui/validate.ts'
import { useHostedConfig } from '../../auth/return-to.ts'
import { Modal } from '../../ui/modal.tsx'
import { useReauth } from '../profile/reauth.tsx'
import { RecoveryCodes } from './recovery-codes.tsx'

type Channel = 'totp' | 'email' | 'sms'
interface Setup { channel: Channel, secret?: string | undefined, otpauthUrl?: string | undefined }

const SIX_DIGITS = /^\d{6}$/
const CODE_OR_RECOVERY = /^(\d{6}|[A-Za-z2-9]{5}-?[A-Za-z2-9]{5})$/

function QrCode ({ url }: { url: string }) {
  const t = useT()
  const [src, setSrc] = useState<string | undefined>()
  useEffect(() => {
    QRCode.toDataURL(url, { margin: 1, width: 200, errorCorrectionLevel: 'M' }).then(setSrc, () => setSrc(undefined))
  }, [url])
  return src ? <img className='security-qr' src={src} alt={t('account.security.totp.qr')} width={200} height={200} /> : <div className='security-qr' />
}

/** The code that confirms a new factor: from the app (totp) or sent (email, sms). */
function ConfirmSetup ({ setup, onEnabled, onCancel }: { setup: Setup, onEnabled: (codes: string[]) => void, onCancel: () => void }) {
  const t = useT()
  const [code, setCode] = useState('')
  const { busy, problem, fields, submit } = useSubmit()
  const { withReauth, dialog } = useReauth()

  async function confirm (event: React.FormEvent) {
    event.preventDefault()
    const otp = code.trim()
    const checks = collect({ otp: SIX_DIGITS.test(otp) ? undefined : t('account.security.code.format') })
    const outcome = await submit(checks, () => withReauth(() => call(client.PUT('/api/v1/auth/mfa', { body: { enabled: true, channel: setup.channel, otp } }))))
    if (outcome?.ok) onEnabled(outcome.data.recoveryCodes ?? [])
  }

  const wrong = problem?.code === 'mfa_code_invalid' || problem?.code === 'otp_invalid' ? t('account.security.code.wrong') : fields.otp
  return (
    <div className='stack'>
      {setup.channel === 'totp' && setup.secret && setup.otpauthUrl
        ? (
          <div className='security-totp'>
            <QrCode url={setup.otpauthUrl} />
            <div>
              <p>{t('account.security.totp.step1')}</p>
              <p className='muted small'>{t('account.security.totp.step2')}</p>
              <div className='security-key'>
                <Field label={t('account.security.totp.key')} name='secret' value={setup.secret} readOnly onFocus={event => event.target.select()} />
              </div>
            </div>
          </div>
          )
        : <Notice tone='success'>{t('account.security.code.sent')}</Notice>}
      <form noValidate onSubmit={(event) => { confirm(event).catch(() => {}) }}>
        {setup.channel === 'totp' ? <p>{t('account.security.totp.step3')}</p> : null}
        <ProblemAlert problem={problem && !wrong ? problem : undefined} />
        <Field label={t('account.security.code')} name='otp' value={code} onChange={event => setCode(event.target.value)} error={wrong} autoComplete='one-time-code' inputMode='numeric' maxLength={6} className='otp-input' autoFocus required />
        <div className='row'>
          <Button type='submit' busy={busy}>{t('account.security.confirm')}</Button>
          <Button tone='secondary' onClick={onCancel}>{t('account.security.mfa.cancel')}</Button>
        </div>
      </form>
      {dialog}
    </div>
  )
}

/** Off: pick a method (the authenticator app first), then confirm it with a code. */
function TurnOn ({ onEnabled }: { onEnabled: (codes: string[]) => void }) {
  const t = useT()
  const user = useUser()
  const config = useHostedConfig()
  const sms = config?.ok === true && config.data.sms && user.phone !== null
  const [channel, setChannel] = useState<Channel>('totp')
  const [setup, setSetup] = useState<Setup | undefined>()
  const { busy, problem, submit } = useSubmit()
  const { withReauth, dialog } = useReauth()

  async function start (event: React.FormEvent) {
    event.preventDefault()
    const outcome = await submit({}, () => withReauth(() => call(client.PUT('/api/v1/auth/mfa', { body: { enabled: true, channel } }))))
    if (outcome?.ok) setSetup({ channel, secret: outcome.data.secret, otpauthUrl: outcome.data.otpauthUrl })
  }

  if (setup) return <ConfirmSetup setup={setup} onEnabled={onEnabled} onCancel={() => setSetup(undefined)} />
  const methods: Array<{ id: Channel, hint: string }> = [
    { id: 'totp', hint: t('account.security.mfa.method.totp.hint') },
    ...(user.email ? [{ id: 'email' as const, hint: t('account.security.mfa.method.email.hint', { email: user.email }) }] : []),
    ...(sms ? [{ id: 'sms' as const, hint: t('account.security.mfa.method.sms.hint', { phone: user.phone ?? '' }) }] : [])
  ]
  return (
    <form noValidate onSubmit={(event) => { start(event).catch(() => {}) }}>
      <p>{t('account.security.mfa.offLead')}</p>
      <ProblemAlert problem={problem} />
      <fieldset className='security-methods'>
        <legend>{t('account.security.mfa.method')}</legend>
        {methods.map(method => (
          <label key={method.id} className='security-method'>
            <input type='radio' name='channel' value={method.id} checked={channel === method.id} onChange={() => setChannel(method.id)} />
            <span><strong>{t(`account.security.mfa.method.${method.id}`)}</strong><span className='muted small'>{method.hint}</span></span>
          </label>
        ))}
      </fieldset>
      <Button type='submit' busy={busy}>{t('account.security.mfa.start')}</Button>
      {dialog}
    </form>
  )
}

/** On: new recovery codes, or turn off with a code of the factor (sent first for email and SMS) or a recovery code. */
function WhenOn ({ channel, onCodes, onOff }: { channel: Channel, onCodes: (codes: string[]) => void, onOff: () => void }) {
  const t = useT()
  const [off, setOff] = useState<'ask' | undefined>()
  const [code, setCode] = useState('')
  // New codes make the saved ones useless: asked first, Cancel takes the focus.
  const [asking, setAsking] = useState(false)
  const regenerate = useSubmit()
  const turnOff = useSubmit()
  const { withReauth, dialog } = useReauth()

  async function newCodes () {
    setAsking(false)
    const outcome = await regenerate.submit({}, () => withReauth(() => call(client.POST('/api/v1/auth/mfa/recovery-codes'))))
    if (outcome?.ok) onCodes(outcome.data.recoveryCodes)
  }

  async function startOff () {
    // Email and SMS: this call sends the code to turn it off with; the app already shows one.
    const outcome = await turnOff.submit({}, () => withReauth(() => call(client.PUT('/api/v1/auth/mfa', { body: { enabled: false } }))))
    if (outcome?.ok) setOff('ask')
  }

  async function confirmOff (event: React.FormEvent) {
    event.preventDefault()
    const otp = code.trim()
    const checks = collect({ otp: CODE_OR_RECOVERY.test(otp) ? undefined : t('account.security.off.format') })
    const outcome = await turnOff.submit(checks, () => withReauth(() => call(client.PUT('/api/v1/auth/mfa', { body: { enabled: false, otp } }))))
    if (outcome?.ok) onOff()
  }

  const wrong = turnOff.problem?.code === 'mfa_code_invalid' || turnOff.problem?.code === 'otp_invalid' ? t('account.security.code.wrong') : turnOff.fields.otp
  return (
    <div className='stack'>
      <p>{t('account.security.mfa.onLead', { method: t(`account.security.mfa.using.${channel}`) })}</p>
      <ProblemAlert problem={regenerate.problem} />
      {off === 'ask'
        ? (
          <form noValidate onSubmit={(event) => { confirmOff(event).catch(() => {}) }}>
            <h4 className='security-subtitle'>{t('account.security.off.title')}</h4>
            <p>{channel === 'totp' ? t('account.security.off.lead.totp') : t('account.security.off.lead.sent')}</p>
            <ProblemAlert problem={turnOff.problem && !wrong ? turnOff.problem : undefined} />
            <Field label={t('account.security.off.code')} name='otp' value={code} onChange={event => setCode(event.target.value)} error={wrong} autoComplete='one-time-code' maxLength={11} autoFocus required />
            <div className='row'>
              <Button type='submit' tone='danger' busy={turnOff.busy}>{t('account.security.off.confirm')}</Button>
              <Button tone='secondary' onClick={() => { setOff(undefined); setCode('') }}>{t('account.security.mfa.cancel')}</Button>
            </div>
          </form>
          )
        : (
          <>
            <ProblemAlert problem={turnOff.problem} />
            <div className='row'>
              <Button tone='secondary' busy={regenerate.busy} onClick={() => setAsking(true)}>{t('account.security.recovery.regenerate')}</Button>
              <Button tone='secondary' busy={turnOff.busy} onClick={() => { startOff().catch(() => {}) }}>{t('account.security.off.start')}</Button>
            </div>
          </>
          )}
      <Modal open={asking} title={t('account.security.recovery.confirmTitle')} onClose={() => setAsking(false)}>
        <p>{t('account.security.recovery.confirmText')}</p>
        <div className='row modal-actions'>
          <Button tone='secondary' autoFocus onClick={() => setAsking(false)}>{t('account.security.mfa.cancel')}</Button>
          <Button onClick={() => { newCodes().catch(() => {}) }}>{t('account.security.recovery.confirm')}</Button>
        </div>
      </Modal>
      {dialog}
    </div>
  )
}

/** Two-step login: its state, and the way to turn it on or off. */
export function MfaPart () {
  const t = useT()
  const { state, reload } = useLoad(() => call(client.GET('/api/v1/auth/mfa')))
  const [codes, setCodes] = useState<string[] | undefined>()
  const [notice, setNotice] = useState<string | undefined>()

  return (
    <div className='card' role='region' aria-labelledby='mfa-title'>
      <div className='security-head'>
        <h3 id='mfa-title'>{t('account.security.mfa.title')}</h3>
        {state?.ok ? <span className={`badge ${state.data.enabled ? 'badge-success' : ''}`}>{state.data.enabled ? t('account.security.mfa.on') : t('account.security.mfa.off')}</span> : null}
      </div>
      {notice && !codes ? <Notice tone='success'>{notice}</Notice> : null}
      {codes
        ? <RecoveryCodes codes={codes} onSaved={() => setCodes(undefined)} />
        : (
          <Loaded state={state} retry={reload}>
            {(status) => {
              if (status.enabled && status.channel) {
                return (
                  <WhenOn
                    channel={status.channel}
                    onCodes={(next) => { setNotice(t('account.security.recovery.regenerated')); setCodes(next) }}
                    onOff={() => { setNotice(t('account.security.off.done')); reload() }}
                  />
                )
              }
              return <TurnOn onEnabled={(next) => { setNotice(t('account.security.on.done')); setCodes(next); reload() }} />
            }}
          </Loaded>
          )}
    </div>
  )
}
