import type { ButtonHTMLAttributes } from 'react'

interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  tone?: 'primary' | 'secondary' | 'danger' | 'ghost'
  busy?: boolean
}

/** A button that says when it is working (aria-busy) and cannot be pressed twice meanwhile. */
export function Button ({ tone = 'primary', busy = false, disabled, children, type = 'button', className, ...rest }: ButtonProps) {
  return (
    <button type={type} className={`button button-${tone}${className ? ` ${className}` : ''}`} disabled={disabled || busy} aria-busy={busy || undefined} {...rest}>
      {busy ? <span className='spinner' aria-hidden='true' /> : null}
      {children}
    </button>
  )
}
