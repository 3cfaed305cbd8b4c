import { useState } from 'react'
import type { FormEvent } from 'react'
import { useNavigate } from 'react-router'
import { client } from '../../api.ts'
import { useT } from '../../i18n.tsx'
import { call } from '../../problem.ts'
import { useSession } from '../../session.tsx'
import { Button } from '../../ui/button.tsx'
import { Modal } from '../../ui/modal.tsx'
import { ProofStep, useProof } from '../proof-step.tsx'
import '../profile/profile.css'
import './delete.css'

/**
 * /account/delete: proof (the password, or a code sent to a verified
 * contact), then "Delete for good?" in a dialog, then DELETE /api/v1/users/me;
 * the person lands on the login page, signed out.
 */
export function DeleteSection () {
  const t = useT()
  const navigate = useNavigate()
  const { signOut } = useSession()
  const [confirming, setConfirming] = useState(false)
  const proof = useProof({ passwordRefusals: ['password_incorrect'], wrongPassword: t('account.delete.wrongPassword'), wrongCode: t('account.delete.wrongCode') })

  function ask (event: FormEvent) {
    event.preventDefault()
    if (proof.check()) setConfirming(true)
  }

  async function remove () {
    const outcome = await proof.spend(given => call(client.DELETE('/api/v1/users/me', { body: given })))
    setConfirming(false)
    if (!outcome?.ok) return
    // To the login page first: signing out while this page is still shown would send the browser to the
    // login page of a signed-out visitor instead (RequireSignIn), and the account is gone at the API already.
    navigate('/auth/login?deleted=1', { replace: true })
    await signOut()
  }

  const labels = { password: t('account.delete.password'), code: t('account.delete.code'), sentSms: t('account.delete.sentSms'), sentEmail: t('account.delete.sentEmail') }
  return (
    <section className='section narrow' aria-labelledby='section-title'>
      <h2 id='section-title'>{t('account.nav.delete')}</h2>
      <div className='card danger-zone'>
        <h3>{t('account.delete.what')}</h3>
        <ul className='delete-list'>
          <li>{t('account.delete.item.profile')}</li>
          <li>{t('account.delete.item.sessions')}</li>
          <li>{t('account.delete.item.messages')}</li>
          <li>{t('account.delete.item.audit')}</li>
        </ul>
        <p><strong>{t('account.delete.final')}</strong></p>
        <form className='account-form' onSubmit={ask} noValidate>
          <ProofStep proof={proof} labels={labels}>
            <div className='row'>
              <Button type='submit' tone='danger'>{t('account.delete.submit')}</Button>
            </div>
          </ProofStep>
        </form>
      </div>
      <Modal open={confirming} title={t('account.delete.confirmTitle')} tone='danger' onClose={() => setConfirming(false)}>
        <p>{t('account.delete.confirmText')}</p>
        <div className='row modal-actions'>
          <Button tone='secondary' autoFocus onClick={() => setConfirming(false)}>{t('account.delete.keep')}</Button>
          <Button tone='danger' busy={proof.busy} onClick={() => { remove().catch(() => {}) }}>{t('account.delete.confirm')}</Button>
        </div>
      </Modal>
    </section>
  )
}
