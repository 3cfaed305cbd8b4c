import * as client from 'openid-client'
import type { Configuration } from 'openid-client'
import { OidcErrors } from './errors.ts'
import type { OidcProvider } from './providers-config.ts'

/** The two log levels the directory uses (a pino logger fits). */
export interface DirectoryLog {
  warn (details: object, msg: string): void
  info (details: object, msg: string): void
}

export interface ProviderDirectoryOptions {
  providers: OidcProvider[]
  /** Seconds for each request to a provider (discovery, token, JWKS, userinfo). */
  timeoutSeconds: number
  log: DirectoryLog
  /** Discovery documents are read again after this long (keys are refreshed by openid-client on an unknown `kid`). */
  refreshMs?: number
  /** The first retry after a failed start-up discovery; it doubles up to `maxRetryMs`. */
  firstRetryMs?: number
  maxRetryMs?: number
}

interface Entry {
  provider: OidcProvider
  current?: { config: Configuration, at: number }
  pending?: Promise<Configuration> | undefined
}

const RETRY_AFTER_SECONDS = '5'

/** Seconds a client should wait when a provider is unreachable. */
export const unavailable = (provider: OidcProvider, cause: unknown) =>
  OidcErrors.oidc_provider_unavailable({ detail: `${provider.name} cannot be reached right now; try again shortly`, headers: { 'retry-after': RETRY_AFTER_SECONDS }, cause })

/**
 * The configured providers and their discovered metadata. Discovery runs at
 * start-up in the background (a provider that is down never stops the
 * service), is retried with backoff until it succeeds, and is cached; a
 * request that finds no metadata yet tries once itself, and answers 503
 * `oidc_provider_unavailable` when the provider cannot be reached.
 */
export function createProviderDirectory (options: ProviderDirectoryOptions) {
  const refreshMs = options.refreshMs ?? 3_600_000
  const entries = new Map(options.providers.map(p => [p.id, { provider: p } as Entry]))
  const timers = new Set<NodeJS.Timeout>()
  let closed = false

  function discover (entry: Entry): Promise<Configuration> {
    if (entry.pending) return entry.pending
    const { provider } = entry
    const auth = provider.clientSecret === undefined ? client.None() : client.ClientSecretPost(provider.clientSecret)
    // The token endpoint answers over TLS, so the spec would let the ID token's signature go unchecked;
    // non-repudiation checks verify it against the provider's JWKS anyway: a token signed with any other key is refused.
    const execute = provider.insecure ? [client.enableNonRepudiationChecks, client.allowInsecureRequests] : [client.enableNonRepudiationChecks]
    entry.pending = client.discovery(provider.issuer, provider.clientId, undefined, auth, { timeout: options.timeoutSeconds, execute }).then((config) => {
      if (!entry.current) options.log.info({ provider: provider.id, issuer: provider.issuer.href }, 'identity provider discovered')
      entry.current = { config, at: performance.now() }
      return config
    }).finally(() => { entry.pending = undefined })
    return entry.pending
  }

  function retryUntilFound (entry: Entry, delayMs: number): void {
    discover(entry).catch((err: unknown) => {
      if (closed) return
      options.log.warn({ provider: entry.provider.id, err: { message: (err as Error).message }, retryInMs: delayMs }, 'identity provider discovery failed')
      const timer = setTimeout(() => { timers.delete(timer); retryUntilFound(entry, Math.min(delayMs * 2, options.maxRetryMs ?? 60_000)) }, delayMs)
      timer.unref()
      timers.add(timer)
    })
  }

  return {
    /** The provider of an id; 404 `oidc_provider_unknown` when none is configured with it. */
    provider (id: string): OidcProvider {
      const entry = entries.get(id)
      if (!entry) throw OidcErrors.oidc_provider_unknown({ detail: `No identity provider is configured with the id "${id}"`, errors: [{ path: '/params/provider', message: 'is not a configured identity provider' }] })
      return entry.provider
    },

    /** The provider's metadata: cached (refreshed in the background when old), or discovered now. */
    async configuration (provider: OidcProvider): Promise<Configuration> {
      const entry = entries.get(provider.id)!
      if (entry.current) {
        if (performance.now() - entry.current.at > refreshMs) discover(entry).catch(() => { /* the cached metadata still serves */ })
        return entry.current.config
      }
      try {
        return await discover(entry)
      } catch (err) {
        throw unavailable(provider, err)
      }
    },

    /** Starts discovering every provider in the background. */
    warm (): void {
      for (const entry of entries.values()) retryUntilFound(entry, options.firstRetryMs ?? 1000)
    },

    close (): void {
      closed = true
      for (const timer of timers) clearTimeout(timer)
      timers.clear()
    }
  }
}

export type ProviderDirectory = ReturnType<typeof createProviderDirectory>
