import { Link } from 'react-router'
import type { ReactNode } from 'react'
import { useT } from '../i18n.tsx'
import type { Outcome, Problem } from '../problem.ts'
import { problemText } from './problem-alert.tsx'
import { Button } from './button.tsx'

export function Loading ({ label }: { label?: string }) {
  const t = useT()
  return <div className='loading' role='status' aria-live='polite'><span className='spinner' aria-hidden='true' />{label ?? t('state.loading')}</div>
}

/** A load that failed: what happened, and a way to try again (never a blank screen). */
export function LoadError ({ problem, retry }: { problem: Problem, retry?: () => void }) {
  const t = useT()
  return (
    <div className='alert alert-error load-error' role='alert' data-code={problem.code}>
      <p><strong>{t('state.failed')}</strong> {problemText(problem, t)}</p>
      {retry ? <Button tone='secondary' onClick={retry}>{t('state.retry')}</Button> : null}
    </div>
  )
}

/** Renders a loaded value: a spinner while it loads, the error with a retry when it failed. */
export function Loaded<T> ({ state, retry, children }: { state: Outcome<T> | undefined, retry?: () => void, children: (data: T) => ReactNode }) {
  if (!state) return <Loading />
  if (!state.ok) return <LoadError problem={state.problem} {...(retry ? { retry } : {})} />
  return <>{children(state.data)}</>
}

export function NotFoundPage () {
  const t = useT()
  return (
    <main id='main' className='auth-main'>
      <div className='card'>
        <h1>{t('state.notFound')}</h1>
        <p><Link to='/'>{t('state.home')}</Link></p>
      </div>
    </main>
  )
}
