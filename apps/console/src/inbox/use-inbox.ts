import { useCallback, useEffect, useRef, useState } from 'react'
import type { paths } from '@app/client'
import { client } from '../api.ts'
import { call } from '../problem.ts'
import type { Problem } from '../problem.ts'

export type InboxMessage = paths['/dev/inbox']['get']['responses'][200]['content']['application/json']['items'][number]
export type Channel = 'email' | 'sms'

export interface InboxFilter { to: string, channel: Channel | '' }

export interface InboxState {
  /** The messages of the last successful load, newest first; undefined before the first one. */
  items: InboxMessage[] | undefined
  /** Why the last load failed (the list of the one before stays shown). */
  problem: Problem | undefined
  /** A load is under way (the first one, a refresh, or a live update). */
  busy: boolean
  /** When the list was last read, epoch ms. */
  updatedAt: number | undefined
  /** How many messages the last live update or refresh brought that were not there before. */
  arrived: number
}

/** How often live updates look for new messages (the list is read again only while the tab is visible). */
export const LIVE_INTERVAL_MS = 3000
const LIMIT = 100

/**
 * The dev inbox for a filter: loaded when the filter changes, again on
 * `refresh()`, and every few seconds while `live` is on and the page is
 * visible. A failed update keeps the list that was there and says why.
 */
export function useInbox (filter: InboxFilter, live: boolean) {
  const [state, setState] = useState<InboxState>({ items: undefined, problem: undefined, busy: true, updatedAt: undefined, arrived: 0 })
  const generation = useRef(0)
  const known = useRef<Set<string> | undefined>(undefined)
  const inFlight = useRef(0)
  const key = `${filter.to}\u0000${filter.channel}`
  const latest = useRef(filter)
  latest.current = filter

  const load = useCallback(async (fresh: boolean) => {
    const mine = ++generation.current
    setState(s => ({ ...s, busy: true, ...(fresh ? { items: undefined, problem: undefined, arrived: 0 } : {}) }))
    const { to, channel } = latest.current
    const query = { limit: LIMIT, ...(to.trim() ? { to: to.trim() } : {}), ...(channel ? { channel } : {}) }
    inFlight.current += 1
    const outcome = await call(client.GET('/dev/inbox', { params: { query } }))
    inFlight.current -= 1
    if (mine !== generation.current) return
    if (!outcome.ok) {
      setState(s => ({ ...s, busy: false, problem: outcome.problem }))
      return
    }
    const items = outcome.data.items
    const before = fresh ? undefined : known.current
    known.current = new Set(items.map(m => m.id))
    const arrived = before ? items.filter(m => !before.has(m.id)).length : 0
    setState({ items, problem: undefined, busy: false, updatedAt: Date.now(), arrived })
  }, [key]) // the filter's value is `key`

  useEffect(() => {
    known.current = undefined
    load(true).catch(() => {})
  }, [load])

  useEffect(() => {
    if (!live) return
    // A slow answer is waited for: no second read starts while one is under way.
    const timer = setInterval(() => {
      if (globalThis.document.visibilityState === 'visible' && !inFlight.current) load(false).catch(() => {})
    }, LIVE_INTERVAL_MS)
    return () => clearInterval(timer)
  }, [live, load])

  const clear = useCallback(async () => {
    const outcome = await call(client.DELETE('/dev/inbox'))
    if (outcome.ok) {
      // A read under way may have been answered before the delete: its list is not shown.
      generation.current += 1
      known.current = new Set()
      setState({ items: [], problem: undefined, busy: false, updatedAt: Date.now(), arrived: 0 })
    }
    return outcome
  }, [])

  return { ...state, refresh: () => load(false), clear }
}
