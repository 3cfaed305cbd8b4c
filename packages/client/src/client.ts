import createClient from 'openapi-fetch'
import type { Client } from 'openapi-fetch'
import type { paths } from './gen/schema.ts'
import { createRefreshingFetch } from './refreshing-fetch.ts'
import type { Fetch } from './refreshing-fetch.ts'
import { memoryTokenStorage } from './token-storage.ts'
import type { TokenPair, TokenStorage } from './token-storage.ts'

export interface GatehouseClientOptions {
  /** The gateway, e.g. `http://127.0.0.1:8080`. */
  baseUrl: string
  /** Where the tokens live; in memory by default. */
  storage?: TokenStorage
  /** The fetch to send with; the global one by default. */
  fetch?: Fetch
  /** Called when the API refuses the refresh token: the session is over. */
  onSessionEnded?: () => void
}

export type GatehouseApi = Client<paths>
type LoginBody = NonNullable<paths['/api/v1/auth/login']['post']['requestBody']>['content']['application/json']

const isTokenPair = (value: unknown): value is TokenPair =>
  typeof value === 'object' && value !== null && 'accessToken' in value && 'refreshToken' in value

/**
 * A typed client of the Gatehouse API: `GET`, `POST`, `PUT`, `PATCH`, `DELETE`
 * on the paths of the merged OpenAPI, with typed bodies, answers and problems.
 * It sends the stored access token and refreshes it once when the API answers
 * 401 for it (one refresh shared by the calls in flight).
 */
export function createGatehouseClient (options: GatehouseClientOptions) {
  const storage = options.storage ?? memoryTokenStorage()
  const send = options.fetch ?? ((request: Request) => globalThis.fetch(request))
  const api = createClient<paths>({
    baseUrl: options.baseUrl,
    fetch: createRefreshingFetch({ baseUrl: options.baseUrl, storage, fetch: send, ...(options.onSessionEnded ? { onSessionEnded: options.onSessionEnded } : {}) })
  })

  /** Keeps the pair of any answer that signs in (login, codes, passkeys, links, identity providers). */
  const signIn = async (tokens: TokenPair) => { await storage.set({ accessToken: tokens.accessToken, refreshToken: tokens.refreshToken }) }

  return {
    ...api,
    /** The raw openapi-fetch client, for middleware (`use`). */
    api,
    tokens: () => storage.get(),
    signIn,
    /** Password login; the pair is kept, or the two-step challenge is returned to answer at `/api/v1/auth/mfa/verify`. */
    async login (body: LoginBody) {
      const result = await api.POST('/api/v1/auth/login', { body })
      if (isTokenPair(result.data)) await signIn(result.data)
      return result
    },
    /** Ends this session at the API and forgets the tokens (even when the API cannot be reached). */
    async logout () {
      const tokens = await storage.get()
      await storage.set(undefined)
      if (tokens) return api.POST('/api/v1/auth/logout', { body: { refreshToken: tokens.refreshToken } })
      return undefined
    }
  }
}

export type GatehouseClient = ReturnType<typeof createGatehouseClient>
