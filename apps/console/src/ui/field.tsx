import { useId, useState } from 'react'
import type { InputHTMLAttributes } from 'react'
import { useT } from '../i18n.tsx'

interface FieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id'> {
  label: string
  name: string
  /** The message shown under the field (from the form's own check or the API's problem). */
  error?: string | undefined
  hint?: string | undefined
}

/** A labelled input whose error and hint are announced with it (aria-describedby, aria-invalid). */
export function Field ({ label, name, error, hint, type = 'text', ...input }: FieldProps) {
  const id = useId()
  const [revealed, setRevealed] = useState(false)
  const t = useT()
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ')
  const isPassword = type === 'password'
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <div className='field-control'>
        <input
          id={id}
          name={name}
          type={isPassword && revealed ? 'text' : type}
          aria-invalid={error ? true : undefined}
          aria-describedby={described || undefined}
          {...input}
        />
        {isPassword
          ? <button type='button' className='button-ghost' aria-pressed={revealed} onClick={() => setRevealed(!revealed)}>{revealed ? t('form.hide') : t('form.show')}</button>
          : null}
      </div>
      {hint ? <p className='hint' id={`${id}-hint`}>{hint}</p> : null}
      {error ? <p className='field-error' id={`${id}-error`}>{error}</p> : null}
    </div>
  )
}
