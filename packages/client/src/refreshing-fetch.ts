import type { TokenPair, TokenStorage } from './token-storage.ts'

export type Fetch = (request: Request) => Promise<Response>

export interface RefreshingFetchOptions {
  baseUrl: string
  storage: TokenStorage
  fetch: Fetch
  /** Called when the API refuses the refresh token: the session is over, sign in again. */
  onSessionEnded?: () => void
}

// The codes of a 401 that a fresh access token cures (`token_expired` for an expired access token,
// `unauthorized` for a revoked one or where a service checks it); any other 401 (wrong password, wrong code) it does not.
const REFRESHABLE = new Set(['unauthorized', 'token_expired'])
const REFRESH_PATH = '/api/v1/auth/refresh'

/** Problem+json and Connect errors both carry the platform's code in `x-error-code`. */
const cured = (response: Response) => response.status === 401 && REFRESHABLE.has(response.headers.get('x-error-code') ?? '')

/**
 * A fetch that sends the stored access token and, when the API answers 401
 * because of it, refreshes the pair once and sends the request again.
 * Concurrent calls that meet an expired token share one refresh.
 */
export function createRefreshingFetch (options: RefreshingFetchOptions): Fetch {
  const { storage } = options
  let refreshing: Promise<TokenPair | undefined> | undefined

  const exchange = async (spent: TokenPair): Promise<TokenPair | undefined> => {
    const current = await storage.get()
    if (!current) return undefined
    // Someone (another call, another tab) already replaced the pair this call used.
    if (current.accessToken !== spent.accessToken) return current
    const response = await options.fetch(new Request(`${options.baseUrl.replace(/\/+$/, '')}${REFRESH_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: current.refreshToken })
    }))
    if (response.ok) {
      const pair = await response.json() as TokenPair
      const next = { accessToken: pair.accessToken, refreshToken: pair.refreshToken }
      await storage.set(next)
      return next
    }
    // Refused (reused, expired, revoked, account disabled): the session is over. Anything else
    // (429, 503) is passing: keep the tokens, and the caller gets the original 401.
    if (response.status === 401 || response.status === 403) {
      await storage.set(undefined)
      options.onSessionEnded?.()
    }
    return undefined
  }
  const refresh = (spent: TokenPair) => {
    refreshing ??= exchange(spent).finally(() => { refreshing = undefined })
    return refreshing
  }

  const send = (request: Request, tokens: TokenPair) => {
    request.headers.set('authorization', `Bearer ${tokens.accessToken}`)
    return options.fetch(request)
  }

  return async (request) => {
    const tokens = await storage.get()
    // A caller's own Authorization header is left alone, and so is its 401.
    if (!tokens || request.headers.has('authorization')) return options.fetch(request)
    const again = request.clone()
    const response = await send(request, tokens)
    if (!cured(response)) return response
    const fresh = await refresh(tokens)
    if (!fresh) return response
    await response.body?.cancel()
    return send(again, fresh)
  }
}
