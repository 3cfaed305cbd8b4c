import { useEffect, useState } from 'react'
import type { Outcome, Problem } from '../../problem.ts'
import { useLoad } from '../../ui/use-load.ts'

export interface Page<T> { items: T[], nextCursor: string | null }

/**
 * A cursor-paged listing (users, audit events, orders): the first page loads
 * as `useLoad` does (again when `deps` change); `more` appends the next page,
 * keeping what is shown when that fails (its problem is `moreProblem`).
 */
export function usePaged<T> (fetchPage: (cursor?: string) => Promise<Outcome<Page<T>>>, deps: unknown[]) {
  const { state, reload } = useLoad(() => fetchPage(), deps)
  const [extra, setExtra] = useState<Page<T> | undefined>()
  const [loadingMore, setLoadingMore] = useState(false)
  const [moreProblem, setMoreProblem] = useState<Problem | undefined>()
  useEffect(() => { setExtra(undefined); setMoreProblem(undefined) }, [state])

  const first = state?.ok ? state.data : undefined
  const items = first ? [...first.items, ...(extra?.items ?? [])] : []
  const nextCursor = extra ? extra.nextCursor : first?.nextCursor ?? null

  async function more () {
    if (!nextCursor) return
    setLoadingMore(true)
    setMoreProblem(undefined)
    const page = await fetchPage(nextCursor)
    setLoadingMore(false)
    if (!page.ok) return setMoreProblem(page.problem)
    setExtra(previous => ({ items: [...(previous?.items ?? []), ...page.data.items], nextCursor: page.data.nextCursor }))
  }
  return { state, reload, items, nextCursor, more, loadingMore, moreProblem }
}
