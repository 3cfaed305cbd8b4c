import { useEffect, useId, useRef } from 'react'
import type { ReactNode } from 'react'
import './modal.css'

interface ModalProps {
  open: boolean
  title: string
  /** Escape, or a button of the content: the owner sets `open` to false. */
  onClose: () => void
  children: ReactNode
  /** `danger` shows the title in the danger colour. */
  tone?: 'danger'
  /** The id of the element in `children` that says what is asked (aria-describedby). */
  describedBy?: string
}

/**
 * A modal `<dialog>` (showModal: focus moves in, stays in, and goes back to
 * the button that opened it when it closes), named by its heading. Escape
 * asks the owner to close it. The content is rendered only while it is open,
 * so a form inside starts afresh each time.
 */
export function Modal ({ open, title, onClose, children, tone, describedBy }: ModalProps) {
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
      aria-describedby={describedBy}
      className={`modal${tone ? ` modal-${tone}` : ''}`}
      onCancel={(event) => { event.preventDefault(); onClose() }}
    >
      <h2 id={titleId}>{title}</h2>
      {open ? children : null}
    </dialog>
  )
}
