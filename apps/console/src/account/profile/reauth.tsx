import { useRef, useState } from 'react'
import type { FormEvent } from 'react'
import { client } from '../../api.ts'
import { useT } from '../../i18n.tsx'
import { call } from '../../problem.ts'
import type { Outcome } from '../../problem.ts'
import { Button } from '../../ui/button.tsx'
import { Modal } from '../../ui/modal.tsx'
import { ProofStep, useProof } from '../proof-step.tsx'

/**
 * "Confirm it's you": the password, or a code sent to a verified contact
 * (POST /api/v1/auth/reauthenticate/start). A right answer gives this session
 * a fresh pair (POST /api/v1/auth/reauthenticate), kept by the client.
 */
function ReauthForm ({ onDone }: { onDone: (proven: boolean) => void }) {
  const t = useT()
  const proof = useProof({ passwordRefusals: ['invalid_credentials', 'unauthorized'], wrongPassword: t('account.reauth.wrongPassword'), wrongCode: t('account.reauth.wrongCode') })

  async function confirm (event: FormEvent) {
    event.preventDefault()
    // The code is checked against the contact it went to, which the auth service remembers: no `channel` here.
    const outcome = await proof.spend(given => call(client.POST('/api/v1/auth/reauthenticate', { body: 'password' in given ? given : { otp: given.otp } })))
    if (!outcome?.ok) return
    await client.signIn(outcome.data)
    onDone(true)
  }

  const labels = { password: t('account.reauth.password'), code: t('account.reauth.code'), sentSms: t('account.reauth.sentSms'), sentEmail: t('account.reauth.sentEmail') }
  return (
    <form onSubmit={(event) => { confirm(event).catch(() => {}) }} noValidate>
      <ProofStep proof={proof} labels={labels} intro={t('account.reauth.intro')} autoFocus>
        <div className='row modal-actions'>
          <Button type='submit' busy={proof.busy}>{t('account.reauth.confirm')}</Button>
          <Button tone='secondary' onClick={() => onDone(false)}>{t('account.common.cancel')}</Button>
        </div>
      </ProofStep>
    </form>
  )
}

/** A refusal the console makes itself when the person closes the dialog without proving it. */
const cancelled = (title: string): Outcome<never> => ({ ok: false, problem: { status: 0, code: 'reauth_cancelled', title } })

/**
 * Runs a change; when the API answers `403 reauth_required`, asks "Confirm
 * it's you" and, once proven, runs it again. Render `dialog` once. A second
 * change refused while the dialog is open waits for the same answer: one
 * proof sends both again, Cancel cancels both.
 */
export function useReauth () {
  const t = useT()
  const [open, setOpen] = useState(false)
  const waiting = useRef<{ answer: Promise<boolean>, resolve: (proven: boolean) => void } | undefined>(undefined)

  function ask (): Promise<boolean> {
    if (!waiting.current) {
      let settle: (proven: boolean) => void = () => {}
      const answer = new Promise<boolean>((resolve) => { settle = resolve })
      waiting.current = { answer, resolve: settle }
      setOpen(true)
    }
    return waiting.current.answer
  }

  async function withReauth<T> (send: () => Promise<Outcome<T>>): Promise<Outcome<T>> {
    const first = await send()
    if (first.ok || first.problem.code !== 'reauth_required') return first
    const proven = await ask()
    return proven ? send() : cancelled(t('account.reauth.cancelled'))
  }

  const done = (proven: boolean) => {
    setOpen(false)
    const asked = waiting.current
    waiting.current = undefined
    asked?.resolve(proven)
  }
  const dialog = (
    <Modal open={open} title={t('account.reauth.title')} onClose={() => done(false)}>
      <ReauthForm onDone={done} />
    </Modal>
  )
  return { withReauth, dialog }
}
