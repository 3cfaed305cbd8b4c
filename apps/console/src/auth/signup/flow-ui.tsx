// Pieces the self-service pages share: the email/phone switch, refusals in words, the dev inbox
// link and the notice for a return URL the allow-list refused.
import { useDevInbox } from '../../ui/dev-inbox.ts'
import { useEffect, useId, useRef } from 'react'
import type { ReactNode } from 'react'
import { useT } from '../../i18n.tsx'
import type { Problem } from '../../problem.ts'
import { ProblemAlert } from '../../ui/problem-alert.tsx'
import { useReturnTo } from '../return-to.ts'
import { knownProblem } from './flow.ts'
import './self-service.css'

export type Channel = 'email' | 'phone'

/** A choice of two or three, as radio buttons that look like a segmented control (arrow keys move). */
export function Choice<T extends string> ({ legend, value, options, onChange }: {
  legend: string
  value: T
  options: Array<{ value: T, label: string }>
  onChange: (next: T) => void
}) {
  const name = useId()
  return (
    <fieldset className='choice'>
      <legend className='choice-legend'>{legend}</legend>
      <div className='choice-options'>
        {options.map(option => (
          <label key={option.value} className='choice-option'>
            <input type='radio' name={name} value={option.value} checked={value === option.value} onChange={() => onChange(option.value)} />
            <span>{option.label}</span>
          </label>
        ))}
      </div>
    </fieldset>
  )
}

/** The refusal above a form: in the reader's language for the expected ones, as the API says otherwise. */
export function FlowProblem ({ problem }: { problem: Problem | undefined }) {
  const t = useT()
  if (!problem) return null
  const known = knownProblem(t, problem)
  if (!known) return <ProblemAlert problem={problem} />
  return (
    <div className='alert alert-error' role='alert' data-code={problem.code}>
      <p>{known}</p>
    </div>
  )
}

/** Says plainly that the app asked to return somewhere the allow-list does not name. */
export function ReturnRefused () {
  const t = useT()
  const { refused, asked } = useReturnTo()
  if (!refused) return null
  return <div className='alert alert-warning' role='status' data-code='redirect_refused'><p className='small'>{t('auth.flow.returnRefused', { url: asked ?? '' })}</p></div>
}

/** "Open the dev inbox" for `to`, only where the platform has one. */
export function DevInboxLink ({ to }: { to: string }) {
  const t = useT()
  const present = useDevInbox()
  if (!present) return null
  return (
    <p className='dev-inbox-hint small'>
      <span className='badge badge-info'>{t('auth.flow.dev')}</span>{' '}
      <a href={`/dev/inbox?to=${encodeURIComponent(to)}`} target='_blank' rel='noreferrer'>{t('auth.flow.devInbox')}</a>
    </p>
  )
}

/**
 * A page's result in place of its form (sent, confirmed, refused), with its
 * icon. It takes the focus when it appears, so a screen reader reads it and
 * the keyboard starts from there.
 */
export function OutcomePanel ({ tone, icon, children }: { tone: 'success' | 'info' | 'error', icon: string, children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null)
  useEffect(() => { ref.current?.focus() }, [])
  return (
    <div className='outcome' ref={ref} tabIndex={-1} data-outcome={tone}>
      <div className={`outcome-icon outcome-icon-${tone}`} aria-hidden='true'>{icon}</div>
      {children}
    </div>
  )
}
