import { useEffect, useReducer, useRef } from 'react'
import type { Outcome, Problem } from '../../problem.ts'
import { useLoad } from '../../ui/use-load.ts'

export interface Page<T> { items: T[], nextCursor: string | null }

/** What "show more" added below the first page, and for which listing (`generation`). */
export interface MoreState<T> {
  generation: number
  extra: Page<T> | undefined
  loading: boolean
  problem: Problem | undefined
}

export type MoreEvent<T> =
  /** The first page is loaded again (other filter, refresh): what was added belongs to the listing before. */
  | { type: 'reset', generation: number }
  | { type: 'start', generation: number }
  | { type: 'done', generation: number, page: Outcome<Page<T>> }

export const initialMore: MoreState<never> = { generation: 0, extra: undefined, loading: false, problem: undefined }

/**
 * The pure part of `usePaged`. An answer to a `more` asked for before the
 * last `reset` is dropped: its page continues a listing no longer shown.
 */
export function moreReducer<T> (state: MoreState<T>, event: MoreEvent<T>): MoreState<T> {
  if (event.type === 'reset') return { generation: event.generation, extra: undefined, loading: false, problem: undefined }
  if (event.generation !== state.generation) return state
  if (event.type === 'start') return { ...state, loading: true, problem: undefined }
  const { page } = event
  if (!page.ok) return { ...state, loading: false, problem: page.problem }
  return { ...state, loading: false, extra: { items: [...(state.extra?.items ?? []), ...page.data.items], nextCursor: page.data.nextCursor } }
}

/** The rows shown (first page, then what `more` added) and the cursor of the page after them. */
export function shown<T> (first: Page<T> | undefined, more: MoreState<T>): Page<T> {
  if (!first) return { items: [], nextCursor: null }
  return { items: [...first.items, ...(more.extra?.items ?? [])], nextCursor: more.extra ? more.extra.nextCursor : first.nextCursor }
}

/**
 * A cursor-paged listing (users, audit events, orders): the first page loads
 * as `useLoad` does (again when `deps` change); `more` appends the next page,
 * keeping what is shown when that fails (its problem is `moreProblem`). A
 * `more` still under way when the first page is loaded again is dropped.
 */
export function usePaged<T> (fetchPage: (cursor?: string) => Promise<Outcome<Page<T>>>, deps: unknown[]) {
  const { state, reload } = useLoad(() => fetchPage(), deps)
  const [paging, dispatch] = useReducer(moreReducer<T>, initialMore)
  const generation = useRef(0)
  useEffect(() => { dispatch({ type: 'reset', generation: ++generation.current }) }, [state])

  const { items, nextCursor } = shown(state?.ok ? state.data : undefined, paging)

  async function more () {
    if (!nextCursor || paging.loading) return
    const mine = generation.current
    dispatch({ type: 'start', generation: mine })
    const page = await fetchPage(nextCursor)
    dispatch({ type: 'done', generation: mine, page })
  }
  return { state, reload, items, nextCursor, more, loadingMore: paging.loading, moreProblem: paging.problem }
}
