import { useId } from 'react'
import type { ReactNode } from 'react'
import { useT } from '../i18n.tsx'
import type { Problem } from '../problem.ts'
import { Button } from './button.tsx'
import { Modal } from './modal.tsx'
import { ProblemAlert } from './problem-alert.tsx'

interface ConfirmDialogProps {
  open: boolean
  title: string
  confirmLabel: string
  tone?: 'danger' | 'primary'
  busy?: boolean
  problem?: Problem | undefined
  onConfirm: () => void
  onCancel: () => void
  children: ReactNode
}

/**
 * A modal question before something that cannot be taken back: the Modal
 * with a Cancel / Confirm row. Cancel comes first and takes the focus, so
 * Enter alone never confirms; Escape cancels, except while it is working.
 */
export function ConfirmDialog ({ open, title, confirmLabel, tone = 'danger', busy = false, problem, onConfirm, onCancel, children }: ConfirmDialogProps) {
  const bodyId = useId()
  const t = useT()
  return (
    <Modal open={open} title={title} describedBy={bodyId} onClose={() => { if (!busy) onCancel() }}>
      <div id={bodyId} className='dialog-body'>{children}</div>
      <ProblemAlert problem={problem} />
      <div className='row dialog-actions'>
        <Button tone='secondary' onClick={onCancel} disabled={busy}>{t('dialog.cancel')}</Button>
        <Button tone={tone} busy={busy} onClick={onConfirm}>{confirmLabel}</Button>
      </div>
    </Modal>
  )
}
