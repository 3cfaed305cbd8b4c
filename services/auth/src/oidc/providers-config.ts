import { Type } from '@sinclair/typebox'
import type { Static } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import { ConfigError } from '@app/kit/config'
import type { Env } from '@app/kit/config'

const ClaimName = Type.String({ minLength: 1, maxLength: 100 })

const ProviderEntrySchema = Type.Object({
  id: Type.String({ pattern: '^[a-z0-9][a-z0-9_-]{0,39}$', description: 'the `{provider}` of the routes' }),
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  issuer: Type.String({ minLength: 1, maxLength: 2000 }),
  clientId: Type.String({ minLength: 1, maxLength: 500 }),
  clientSecret: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
  clientSecretEnv: Type.Optional(Type.String({ pattern: '^[A-Z_][A-Z0-9_]{0,99}$' })),
  scopes: Type.Optional(Type.Array(Type.String({ pattern: '^[\\x21\\x23-\\x5B\\x5D-\\x7E]{1,100}$' }), { minItems: 1, maxItems: 20 })),
  claims: Type.Optional(Type.Object({
    email: Type.Optional(ClaimName),
    name: Type.Optional(ClaimName),
    emailVerified: Type.Optional(ClaimName)
  }, { additionalProperties: false })),
  allowSignup: Type.Optional(Type.Boolean())
}, { additionalProperties: false })

type ProviderEntry = Static<typeof ProviderEntrySchema>

/** Which claim of the ID token (or userinfo) holds each thing the account needs. */
export interface ClaimMapping {
  email: string
  name: string
  emailVerified: string
}

/** One identity provider, as AUTH_OIDC_PROVIDERS declares it, its secret resolved. */
export interface OidcProvider {
  id: string
  name: string
  issuer: URL
  clientId: string
  /** Undefined: a public client (PKCE only, no client authentication). */
  clientSecret: string | undefined
  scopes: string[]
  claims: ClaimMapping
  /** A verified email no account has yet creates one; otherwise the sign-in is refused. */
  allowSignup: boolean
  /** Plain http, allowed for a loopback issuer only (development, tests). */
  insecure: boolean
}

const DEFAULT_SCOPES = ['openid', 'email', 'profile']
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]'])
const VARIABLE = 'AUTH_OIDC_PROVIDERS'

function issuerOf (entry: ProviderEntry, problems: string[]): URL | undefined {
  let url: URL
  try {
    url = new URL(entry.issuer)
  } catch {
    problems.push(`${VARIABLE}: provider "${entry.id}" issuer is not an absolute URL`)
    return undefined
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) {
    problems.push(`${VARIABLE}: provider "${entry.id}" issuer must be https (plain http only on a loopback address)`)
  }
  if (url.search || url.hash || url.username) problems.push(`${VARIABLE}: provider "${entry.id}" issuer must have no query, fragment or user`)
  return url
}

function secretOf (entry: ProviderEntry, env: Readonly<Env>, problems: string[]): string | undefined {
  if (entry.clientSecret !== undefined && entry.clientSecretEnv !== undefined) {
    problems.push(`${VARIABLE}: provider "${entry.id}" has both clientSecret and clientSecretEnv; keep one`)
  }
  if (entry.clientSecretEnv === undefined) return entry.clientSecret
  const secret = env[entry.clientSecretEnv]
  if (!secret) problems.push(`${VARIABLE}: provider "${entry.id}" reads its secret from ${entry.clientSecretEnv}, which is not set`)
  return secret
}

function providerOf (entry: ProviderEntry, env: Readonly<Env>, problems: string[]): OidcProvider | undefined {
  const issuer = issuerOf(entry, problems)
  const clientSecret = secretOf(entry, env, problems)
  const scopes = entry.scopes ?? DEFAULT_SCOPES
  if (!scopes.includes('openid')) problems.push(`${VARIABLE}: provider "${entry.id}" scopes must include openid`)
  if (!issuer) return undefined
  return {
    id: entry.id,
    name: entry.name ?? entry.id,
    issuer,
    clientId: entry.clientId,
    clientSecret,
    scopes,
    claims: { email: entry.claims?.email ?? 'email', name: entry.claims?.name ?? 'name', emailVerified: entry.claims?.emailVerified ?? 'email_verified' },
    allowSignup: entry.allowSignup ?? false,
    insecure: issuer.protocol === 'http:'
  }
}

/**
 * The providers of AUTH_OIDC_PROVIDERS (a JSON array; empty: none). Every
 * problem is reported at once as a ConfigError naming the variable, so a bad
 * entry stops the service at start-up rather than at the first sign-in.
 * `env` resolves `clientSecretEnv` (a secret kept out of the JSON).
 */
export function parseOidcProviders (raw: string, env: Readonly<Env>): OidcProvider[] {
  if (raw.trim() === '') return []
  let parsed: unknown
  try {
    parsed = JSON.parse(raw)
  } catch {
    throw new ConfigError([`${VARIABLE} must be a JSON array of providers`])
  }
  const schema = Type.Array(ProviderEntrySchema, { maxItems: 50 })
  const shapeProblems = [...Value.Errors(schema, parsed)].slice(0, 10).map(e => `${VARIABLE}${e.path || ''}: ${e.message}`)
  if (shapeProblems.length > 0) throw new ConfigError(shapeProblems)
  const entries = parsed as ProviderEntry[]
  const problems: string[] = []
  const seen = new Set<string>()
  const providers: OidcProvider[] = []
  for (const entry of entries) {
    if (seen.has(entry.id)) problems.push(`${VARIABLE}: provider id "${entry.id}" appears twice`)
    seen.add(entry.id)
    const provider = providerOf(entry, env, problems)
    if (provider) providers.push(provider)
  }
  if (problems.length > 0) throw new ConfigError(problems)
  return providers
}

/** The callback (redirect_uri) registered at the provider: AUTH_OIDC_CALLBACK_URL with `{provider}` filled in. */
export function callbackUrlOf (template: string, providerId: string): string {
  return template.replaceAll('{provider}', encodeURIComponent(providerId))
}

/** AUTH_OIDC_CALLBACK_URL must be an absolute http(s) URL naming `{provider}`; a ConfigError names it otherwise. */
export function checkCallbackTemplate (template: string): void {
  // The callback route is per provider (`/api/v1/auth/oidc/{provider}/callback`): the URL has to say which.
  if (!template.includes('{provider}')) throw new ConfigError(['AUTH_OIDC_CALLBACK_URL must contain {provider}'])
  let url: URL
  try {
    url = new URL(callbackUrlOf(template, 'x'))
  } catch {
    throw new ConfigError(['AUTH_OIDC_CALLBACK_URL must be an absolute URL'])
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ConfigError(['AUTH_OIDC_CALLBACK_URL must be an http or https URL'])
  if (url.search || url.hash) throw new ConfigError(['AUTH_OIDC_CALLBACK_URL must have no query or fragment'])
}
