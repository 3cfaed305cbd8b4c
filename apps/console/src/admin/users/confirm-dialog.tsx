import { useEffect, useId, useRef } from 'react'
import type { ReactNode } from 'react'
import { useT } from '../../i18n.tsx'
import type { Problem } from '../../problem.ts'
import { Button } from '../../ui/button.tsx'
import { ProblemAlert } from '../../ui/problem-alert.tsx'

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
 * A modal question before something that cannot be taken back (native
 * <dialog>: focus stays inside, Escape cancels, focus returns afterwards).
 * Cancel comes first and takes the focus, so Enter alone never confirms.
 */
export function ConfirmDialog ({ open, title, confirmLabel, tone = 'danger', busy = false, problem, onConfirm, onCancel, children }: ConfirmDialogProps) {
  const ref = useRef<HTMLDialogElement>(null)
  const id = useId()
  const t = useT()
  useEffect(() => {
    const dialog = ref.current
    if (!dialog) return
    if (open && !dialog.open) dialog.showModal()
    if (!open && dialog.open) dialog.close()
  }, [open])
  return (
    <dialog ref={ref} aria-labelledby={`${id}-title`} aria-describedby={`${id}-body`} onCancel={event => { event.preventDefault(); if (!busy) onCancel() }}>
      <h2 id={`${id}-title`}>{title}</h2>
      <div id={`${id}-body`} className='dialog-body'>{children}</div>
      <ProblemAlert problem={problem} />
      <div className='row dialog-actions'>
        <Button tone='secondary' onClick={onCancel} disabled={busy}>{t('admin.dialog.cancel')}</Button>
        <Button tone={tone} busy={busy} onClick={onConfirm}>{confirmLabel}</Button>
      </div>
    </dialog>
  )
}
