import { useState } from 'react'
import type { paths } from '@app/client'
import { client } from '../../api.ts'
import { useI18n } from '../../i18n.tsx'
import { call } from '../../problem.ts'
import type { Problem } from '../../problem.ts'
import { Button } from '../../ui/button.tsx'
import { Field } from '../../ui/field.tsx'
import { Notice, ProblemAlert } from '../../ui/problem-alert.tsx'
import { Loaded } from '../../ui/states.tsx'
import { useLoad } from '../../ui/use-load.ts'
import { useSubmit } from '../../ui/use-submit.ts'
import { checkRequired, collect } from '../../ui/validate.ts'
import { useHostedConfig } from '../../auth/return-to.ts'
import { ceremonyProblem, createPasskey, passkeysSupported } from '../../auth/login/webauthn.ts'
import { Modal } from '../../ui/modal.tsx'
import { useReauth } from '../profile/reauth.tsx'

type Passkey = paths['/api/v1/auth/passkeys']['get']['responses'][200]['content']['application/json']['items'][number]

function PasskeyRow ({ passkey, onChanged }: { passkey: Passkey, onChanged: (notice?: string) => void }) {
  const { t, formatDate } = useI18n()
  const [renaming, setRenaming] = useState(false)
  const [name, setName] = useState(passkey.name)
  const [confirming, setConfirming] = useState(false)
  const rename = useSubmit()
  const remove = useSubmit()
  const { withReauth, dialog } = useReauth()

  async function saveName (event: React.FormEvent) {
    event.preventDefault()
    const value = name.trim()
    const outcome = await rename.submit(collect({ name: checkRequired(t, value) }), () =>
      call(client.PATCH('/api/v1/auth/passkeys/{id}', { params: { path: { id: passkey.id } }, body: { name: value } })))
    if (outcome?.ok) { setRenaming(false); onChanged() }
  }

  async function removeIt () {
    const outcome = await remove.submit({}, () => withReauth(() => call(client.DELETE('/api/v1/auth/passkeys/{id}', { params: { path: { id: passkey.id } } }))))
    setConfirming(false)
    if (outcome?.ok) onChanged(t('account.passkeys.removed'))
  }

  return (
    <li>
      {renaming
        ? (
          <form className='passkey-rename' noValidate onSubmit={(event) => { saveName(event).catch(() => {}) }}>
            <Field label={t('account.passkeys.renameLabel', { name: passkey.name })} name='name' value={name} maxLength={100} onChange={event => setName(event.target.value)} error={rename.fields.name} autoFocus />
            <Button type='submit' busy={rename.busy}>{t('account.passkeys.save')}</Button>
            <Button tone='secondary' onClick={() => { setRenaming(false); setName(passkey.name) }}>{t('account.common.cancel')}</Button>
          </form>
          )
        : (
          <div>
            <div className='passkey-name'>{passkey.name} {passkey.backedUp ? <span className='badge badge-info'>{t('account.passkeys.synced')}</span> : null}</div>
            <div className='muted small'>
              {t('account.passkeys.added', { date: formatDate(passkey.createdAt) })} · {passkey.lastUsedAt ? t('account.passkeys.used', { date: formatDate(passkey.lastUsedAt) }) : t('account.passkeys.neverUsed')}
            </div>
          </div>
          )}
      {renaming
        ? null
        : (
          <div className='row'>
            <Button tone='ghost' aria-label={t('account.passkeys.renameLabel', { name: passkey.name })} onClick={() => setRenaming(true)}>{t('account.passkeys.rename')}</Button>
            <Button tone='ghost' aria-label={t('account.passkeys.removeLabel', { name: passkey.name })} busy={remove.busy} onClick={() => setConfirming(true)}>{t('account.passkeys.remove')}</Button>
          </div>
          )}
      <ProblemAlert problem={rename.problem && !rename.fields.name ? rename.problem : remove.problem} />
      <Modal open={confirming} title={t('account.passkeys.removeTitle')} tone='danger' onClose={() => setConfirming(false)}>
        <p>{t('account.passkeys.removeLead', { name: passkey.name })}</p>
        <div className='row modal-actions'>
          <Button tone='danger' busy={remove.busy} onClick={() => { removeIt().catch(() => {}) }}>{t('account.passkeys.remove')}</Button>
          <Button tone='secondary' onClick={() => setConfirming(false)}>{t('account.common.cancel')}</Button>
        </div>
      </Modal>
      {dialog}
    </li>
  )
}

/** Adds a passkey: the options (after a recent proof), the browser's ceremony, then the credential with its name. */
function AddPasskey ({ onAdded }: { onAdded: () => void }) {
  const { t } = useI18n()
  const [name, setName] = useState('')
  const [busy, setBusy] = useState(false)
  const [problem, setProblem] = useState<Problem | undefined>()
  const { withReauth, dialog } = useReauth()

  async function add (event: React.FormEvent) {
    event.preventDefault()
    setBusy(true)
    setProblem(undefined)
    try {
      const options = await withReauth(() => call(client.POST('/api/v1/auth/passkeys/register/options')))
      if (!options.ok) return setProblem(options.problem)
      let credential
      try {
        credential = await createPasskey(options.data as Record<string, unknown>)
      } catch (err) {
        return setProblem({ ...ceremonyProblem(err), title: t('account.passkeys.cancelled') })
      }
      const value = name.trim()
      const added = await call(client.POST('/api/v1/auth/passkeys/register', { body: { ...credential, ...(value ? { name: value } : {}) } as never }))
      if (!added.ok) return setProblem(added.problem)
      setName('')
      onAdded()
    } finally {
      setBusy(false)
    }
  }

  if (!passkeysSupported()) return <p className='muted'>{t('account.passkeys.unsupported')}</p>
  return (
    <form noValidate onSubmit={(event) => { add(event).catch(() => {}) }}>
      <ProblemAlert problem={problem} />
      <div className='passkey-add'>
        <Field label={t('account.passkeys.newName')} name='passkeyName' value={name} maxLength={100} onChange={event => setName(event.target.value)} hint={t('account.passkeys.newNameHint')} />
        <Button type='submit' busy={busy}>{t('account.passkeys.add')}</Button>
      </div>
      {dialog}
    </form>
  )
}

/** Passkeys: the list (rename, remove) and a way to add one; only when the server has passkeys on. */
export function PasskeysPart () {
  const { t } = useI18n()
  const config = useHostedConfig()
  const { state, reload } = useLoad(() => call(client.GET('/api/v1/auth/passkeys')))
  const [notice, setNotice] = useState<string | undefined>()
  const changed = (text?: string) => { setNotice(text); reload() }
  return (
    <div className='card' role='region' aria-labelledby='passkeys-title'>
      <div className='security-head'><h3 id='passkeys-title'>{t('account.passkeys.title')}</h3></div>
      <p className='muted'>{t('account.passkeys.lead')}</p>
      {notice ? <Notice tone='success'>{notice}</Notice> : null}
      {config?.ok && !config.data.passkeys
        ? <p>{t('account.passkeys.unavailable')}</p>
        : (
          <>
            <Loaded state={state} retry={reload}>
              {(data) => data.items.length === 0
                ? <p>{t('account.passkeys.none')}</p>
                : <ul className='list passkey-list'>{data.items.map(p => <PasskeyRow key={p.id} passkey={p} onChanged={changed} />)}</ul>}
            </Loaded>
            <AddPasskey onAdded={() => changed(t('account.passkeys.addedNotice'))} />
          </>
          )}
    </div>
  )
}
