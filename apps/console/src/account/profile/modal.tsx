import { useEffect, useId, useRef } from 'react'
import type { ReactNode } from 'react'

interface ModalProps {
  open: boolean
  title: string
  /** Escape, or a button of the content: the owner sets `open` to false. */
  onClose: () => void
  children: ReactNode
  tone?: 'danger'
}

/**
 * A modal `<dialog>` (showModal: focus moves in, stays in, and goes back to
 * the button that opened it when it closes), named by its heading. Escape
 * asks the owner to close it.
 */
export function Modal ({ open, title, onClose, children, tone }: ModalProps) {
  const ref = useRef<HTMLDialogElement>(null)
  const titleId = useId()
  useEffect(() => {
    const dialog = ref.current
    if (!dialog) return
    if (open && !dialog.open) dialog.showModal()
    if (!open && dialog.open) dialog.close()
  }, [open])
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      className={`modal${tone ? ` modal-${tone}` : ''}`}
      onCancel={(event) => { event.preventDefault(); onClose() }}
    >
      <h2 id={titleId}>{title}</h2>
      {open ? children : null}
    </dialog>
  )
}
