import { createHash, randomBytes } from 'node:crypto'
import * as client from 'openid-client'
import type { Db } from '@app/kit/db'
import { isAppError, KitErrors } from '@app/kit/errors'
import type { AppError } from '@app/kit/errors'
import type { EventEmitter } from '@app/kit/service'
import type { LoginMethod, SessionContext, TokenPair } from '../auth-service.ts'
import type { MfaChallenge } from '../mfa.ts'
import type { RedirectAllowlist } from '../redirect-allowlist.ts'
import { existingUser } from '../user-client.ts'
import type { UserClient, UserSummary } from '../user-client.ts'
import type { AccountLink } from './account-link.ts'
import { identityOf, needsUserinfo } from './claims.ts'
import type { ProviderIdentity } from './claims.ts'
import { OidcErrors } from './errors.ts'
import type { OidcFlow, OidcStore } from './oidc-store.ts'
import type { ProviderDirectory } from './provider-directory.ts'
import { providerFailure, reasonOf } from './provider-errors.ts'
import type { OidcFailureReason } from './provider-errors.ts'
import { callbackUrlOf } from './providers-config.ts'
import type { OidcProvider } from './providers-config.ts'

export interface OidcSignInDeps {
  db: Db
  store: OidcStore
  directory: ProviderDirectory
  accounts: AccountLink
  users: Pick<UserClient, 'getUser'>
  events: EventEmitter
  /** Where a failure's detail goes, as the browser is told only a generic description (a pino logger fits). */
  log: { warn: (obj: object, msg: string) => void }
  allowlist: RedirectAllowlist
  /** AUTH_OIDC_CALLBACK_URL, with `{provider}`. */
  callbackUrl: string
  flowTtlSeconds: number
  now: () => Date
  startSession: (user: UserSummary, method: LoginMethod, context?: SessionContext) => Promise<TokenPair>
  /** The second step the user has to take, or undefined when two-step login is off. */
  secondFactor: (user: UserSummary) => Promise<MfaChallenge | undefined>
}

/** The one-time code is spent at once by the app that receives it: a minute is plenty. */
export const EXCHANGE_CODE_TTL_SECONDS = 60

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex')
const later = (at: Date, seconds: number) => new Date(at.getTime() + seconds * 1000)

/** The sign-in's answer: `code`, or `error` and `error_description`. */
const ANSWER_PARAMS = ['code', 'error', 'error_description']

/**
 * The return address with the sign-in's answer in its query. The app's own parameters are kept (its `state`, which
 * binds the sign-in to the browser that started it), except any named like the answer, so only Gatehouse's answer is there.
 */
function returnTo (redirectTo: string, params: Record<string, string>): string {
  const url = new URL(redirectTo)
  for (const name of ANSWER_PARAMS) url.searchParams.delete(name)
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value)
  return url.href
}

/** Refusals whose detail is written for the person signing in (no internal addresses or causes), repeated as `error_description`. */
const USER_FACING = new Set(['oidc_provider_error', 'oidc_token_invalid', 'oidc_email_unverified', 'oidc_signup_disabled', 'oidc_account_unverified', 'account_disabled'])

/**
 * The `error_description` of a failed sign-in. Only a catalogued 4xx refusal keeps its own text; a failure (5xx: the
 * provider or another service down) or any other error gets a generic one, as its detail may name internal
 * addresses and causes (`/internal/users/...: connect ECONNREFUSED 10.0.0.7:8081`); the callback logs it.
 */
function errorDescription (err: AppError): string {
  if (err.status < 500 && USER_FACING.has(err.code)) return err.detail
  return err.status >= 500
    ? 'The sign-in could not be finished because a service is unavailable; try again in a moment'
    : 'The sign-in could not be finished; try again'
}

/**
 * Sign-in with an OpenID Connect provider: authorization code flow with PKCE
 * (S256), `state` (single use, bound to the browser by a cookie) and `nonce`.
 * The callback ends at the app's return address with a one-time `code`, which
 * the app exchanges for the token pair (or a two-step login challenge), so no
 * token travels in a URL.
 */
export function createOidcSignIn (deps: OidcSignInDeps) {
  const { db, store, directory, accounts, events, now } = deps

  async function audit (reason: OidcFailureReason, identifier: string): Promise<void> {
    await db.tx(tx => events.emit(tx, 'auth.login_failed', { method: 'oidc', reason, identifierHash: sha256(identifier) }))
  }

  /** The provider's tokens for the callback's code, checked (signature, issuer, audience, expiry, nonce, PKCE). */
  async function identityFrom (provider: OidcProvider, flow: OidcFlow, callbackQuery: URLSearchParams): Promise<ProviderIdentity> {
    const config = await directory.configuration(provider)
    const currentUrl = new URL(flow.redirectUri)
    currentUrl.search = callbackQuery.toString()
    try {
      const tokens = await client.authorizationCodeGrant(config, currentUrl, {
        pkceCodeVerifier: flow.codeVerifier,
        expectedState: callbackQuery.get('state')!,
        expectedNonce: flow.nonce,
        idTokenExpected: true
      })
      const claims = tokens.claims()!
      const userinfo = needsUserinfo(claims, provider.claims) && config.serverMetadata().userinfo_endpoint
        ? await client.fetchUserInfo(config, tokens.access_token, claims.sub)
        : undefined
      return identityOf(claims, userinfo, provider.claims)
    } catch (err) {
      throw isAppError(err) ? err : providerFailure(provider, err)
    }
  }

  async function issueCode (user: UserSummary, provider: OidcProvider): Promise<string> {
    const code = randomBytes(32).toString('base64url')
    const at = now()
    await store.insertExchangeCode({ codeHash: sha256(code), userId: user.id, provider: provider.id, createdAt: at, expiresAt: later(at, EXCHANGE_CODE_TTL_SECONDS) })
    return code
  }

  return {
    /** Where to send the browser: the provider's authorization endpoint, with a flow remembered for the callback. */
    async start (providerId: string, redirectTo: string, binding: string): Promise<string> {
      const provider = directory.provider(providerId)
      const target = deps.allowlist.check(redirectTo, '/query/redirectTo')
      const config = await directory.configuration(provider)
      const state = client.randomState()
      const nonce = client.randomNonce()
      const codeVerifier = client.randomPKCECodeVerifier()
      const redirectUri = callbackUrlOf(deps.callbackUrl, provider.id)
      const at = now()
      await store.insertFlow({
        stateHash: sha256(state), provider: provider.id, bindingHash: sha256(binding), nonce, codeVerifier, redirectUri, redirectTo: target, createdAt: at, expiresAt: later(at, deps.flowTtlSeconds)
      })
      return client.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: provider.scopes.join(' '),
        state,
        nonce,
        code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256'
      }).href
    },

    /**
     * The provider sent the browser back. A state that is unknown, spent,
     * expired or from another browser throws 400 `oidc_state_invalid`: there is
     * no trusted place to return to. Past that check, every outcome returns to
     * the flow's `redirectTo`: with `code`, or with `error` (a catalogued code)
     * and `error_description`. Every refusal is audited.
     */
    async callback (providerId: string, query: URLSearchParams, binding: string | undefined, requestId?: string): Promise<string> {
      const provider = directory.provider(providerId)
      const state = query.get('state')
      const flow = state && binding ? await store.takeFlow(sha256(state), sha256(binding), now()) : undefined
      if (!flow || flow.provider !== provider.id) {
        await audit('state_invalid', `oidc:${provider.id}`)
        throw OidcErrors.oidc_state_invalid({
          detail: 'This sign-in is unknown, expired, already finished, or was started in another browser; start it again',
          errors: [{ path: '/query/state', message: state ? 'does not match a sign-in started in this browser' : 'is required' }]
        })
      }
      let identifier = `oidc:${provider.id}`
      try {
        const identity = await identityFrom(provider, flow, query)
        identifier = `oidc:${provider.id}:${identity.subject}`
        const user = await accounts.userFor(provider, identity, requestId)
        if (user.disabled) throw KitErrors.account_disabled('This account is disabled')
        return returnTo(flow.redirectTo, { code: await issueCode(user, provider) })
      } catch (err) {
        if (!isAppError(err)) throw err
        const reason = reasonOf(err)
        if (reason) await audit(reason, identifier)
        else deps.log.warn({ provider: provider.id, code: err.code, status: err.status, detail: err.detail, requestId }, 'identity provider sign-in failed')
        return returnTo(flow.redirectTo, { error: err.code, error_description: errorDescription(err) })
      }
    },

    /** The app trades the one-time code for the token pair, or the two-step login challenge. */
    async exchange (code: string, context: SessionContext, requestId?: string): Promise<TokenPair | MfaChallenge> {
      const taken = await store.takeExchangeCode(sha256(code), now())
      if (!taken) {
        await audit('code_invalid', 'oidc:exchange')
        throw OidcErrors.oidc_code_invalid({ detail: 'This sign-in code is unknown, expired or already used; sign in again', errors: [{ path: '/body/code', message: 'is not a valid sign-in code' }] })
      }
      const user = await existingUser(deps.users, taken.userId, requestId)
      const challenge = user.disabled ? undefined : await deps.secondFactor(user)
      return challenge ?? deps.startSession(user, 'oidc', context)
    }
  }
}

export type OidcSignIn = ReturnType<typeof createOidcSignIn>
