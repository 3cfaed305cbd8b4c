import type { Problem } from '../problem.ts'
import { useT } from '../i18n.tsx'

/** What went wrong, in words: the API's own title and detail, or the console's for offline, 429 and 503. */
export function problemText (problem: Problem, t: ReturnType<typeof useT>): string {
  if (problem.code === 'network_error') return t('state.offline')
  if (problem.status === 429) return t('state.rateLimited', { seconds: problem.retryAfter ?? 60 })
  if (problem.status === 503 || problem.status === 502 || problem.status === 504) return t('state.unavailable')
  return problem.detail && problem.detail !== problem.title ? `${problem.title}: ${problem.detail}` : problem.title
}

/** A refusal shown at the top of a form (field errors go beside their fields). */
export function ProblemAlert ({ problem, id }: { problem: Problem | undefined, id?: string }) {
  const t = useT()
  if (!problem) return null
  return (
    <div className='alert alert-error' role='alert' id={id} data-code={problem.code}>
      <p>{problemText(problem, t)}</p>
      {problem.requestId ? <p className='muted small'>{t('form.requestId', { id: problem.requestId })}</p> : null}
    </div>
  )
}

export function Notice ({ children, tone = 'info' }: { children: React.ReactNode, tone?: 'info' | 'success' | 'warning' }) {
  return <div className={`alert alert-${tone}`} role='status'>{children}</div>
}
