import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react'
import type { ReactNode } from 'react'
import { Navigate, useLocation } from 'react-router'
import type { components } from '@app/client'
import { client, sessionEvents, tokenStorage } from './api.ts'
import { call } from './problem.ts'
import type { Problem } from './problem.ts'
import { Loading, LoadError } from './ui/states.tsx'

export type User = components['schemas']['User']

type SessionState =
  | { status: 'loading' }
  | { status: 'signed-out', ended?: boolean }
  | { status: 'signed-in', user: User }
  | { status: 'failed', problem: Problem }

interface Session {
  state: SessionState
  /** Reads the signed-in user again (after a login, a profile change). */
  refresh: () => Promise<void>
  /** Ends this session at the API and forgets it here. */
  signOut: () => Promise<void>
}

const SessionContext = createContext<Session | undefined>(undefined)

export function SessionProvider ({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' })
  const refresh = useCallback(async () => {
    if (!(await client.tokens())) return setState({ status: 'signed-out' })
    const me = await call(client.GET('/api/v1/users/me'))
    if (me.ok) return setState({ status: 'signed-in', user: me.data as User })
    if (me.problem.status === 401 || me.problem.status === 403) {
      tokenStorage.set(undefined)
      return setState({ status: 'signed-out', ended: true })
    }
    setState({ status: 'failed', problem: me.problem })
  }, [])
  const signOut = useCallback(async () => {
    await client.logout().catch(() => undefined)
    setState({ status: 'signed-out' })
  }, [])
  useEffect(() => {
    refresh().catch(() => {})
    const ended = () => setState({ status: 'signed-out', ended: true })
    sessionEvents.addEventListener('ended', ended)
    // Another tab signed in or out.
    const storage = (event: StorageEvent) => { if (event.key === 'gatehouse.tokens') refresh().catch(() => {}) }
    globalThis.addEventListener('storage', storage)
    return () => {
      sessionEvents.removeEventListener('ended', ended)
      globalThis.removeEventListener('storage', storage)
    }
  }, [refresh])
  const value = useMemo(() => ({ state, refresh, signOut }), [state, refresh, signOut])
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>
}

export function useSession (): Session {
  const session = useContext(SessionContext)
  if (!session) throw new Error('useSession outside SessionProvider')
  return session
}

/** The signed-in user; only inside <RequireSignIn>. */
export function useUser (): User {
  const { state } = useSession()
  if (state.status !== 'signed-in') throw new Error('useUser outside RequireSignIn')
  return state.user
}

export const isAdmin = (user: User) => user.roles.includes('admin')

/** Sends a visitor who is not signed in to the login page, coming back here afterwards. */
export function RequireSignIn ({ children, admin = false }: { children: ReactNode, admin?: boolean }) {
  const { state, refresh } = useSession()
  const location = useLocation()
  if (state.status === 'loading') return <main id='main' className='app-main'><Loading /></main>
  if (state.status === 'failed') return <main id='main' className='app-main'><LoadError problem={state.problem} retry={() => { refresh().catch(() => {}) }} /></main>
  if (state.status === 'signed-out') {
    const back = `${location.pathname}${location.search}`
    return <Navigate replace to={`/auth/login?redirectTo=${encodeURIComponent(back)}${state.ended ? '&ended=1' : ''}`} />
  }
  if (admin && !isAdmin(state.user)) return <Navigate replace to='/account' />
  return <>{children}</>
}
