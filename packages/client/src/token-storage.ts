/** The pair of tokens a login, a code or a refresh answers. */
export interface TokenPair {
  accessToken: string
  refreshToken: string
}

/**
 * Where the client keeps the tokens. Give several clients (browser tabs) one
 * storage and a refresh by one is seen by the others; the API lets a spent
 * refresh token be presented again for a few seconds, so tabs refreshing at
 * once do not end the session.
 */
export interface TokenStorage {
  get(): TokenPair | undefined | Promise<TokenPair | undefined>
  /** `undefined` forgets them (logout, or a session the API ended). */
  set(tokens: TokenPair | undefined): void | Promise<void>
}

/** Tokens in memory: gone with the page or process. The default. */
export function memoryTokenStorage (initial?: TokenPair): TokenStorage {
  let tokens = initial
  return {
    get: () => tokens,
    set: (next) => { tokens = next }
  }
}

/** The part of the Web Storage API (`localStorage`) the client uses; the repository compiles without the DOM types. */
export interface WebStorage {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
  removeItem(key: string): void
}

/** Tokens in a Web Storage (`localStorage`, `sessionStorage`) under `key`, shared by the tabs of an origin. */
export function webTokenStorage (storage: WebStorage, key = 'gatehouse.tokens'): TokenStorage {
  return {
    get () {
      const text = storage.getItem(key)
      if (!text) return undefined
      try {
        const value = JSON.parse(text) as Partial<TokenPair>
        return typeof value.accessToken === 'string' && typeof value.refreshToken === 'string'
          ? { accessToken: value.accessToken, refreshToken: value.refreshToken }
          : undefined
      } catch {
        return undefined
      }
    },
    set (tokens) {
      if (tokens) storage.setItem(key, JSON.stringify({ accessToken: tokens.accessToken, refreshToken: tokens.refreshToken }))
      else storage.removeItem(key)
    }
  }
}
