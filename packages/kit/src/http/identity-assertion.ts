import { randomBytes } from 'node:crypto'
import { lifetimeProblem, openToken, signJson } from '../keys/index.ts'
import type { Keyring } from '../keys/index.ts'

/** The one header by which the gateway tells a service who is calling, from where. */
export const IDENTITY_ASSERTION_HEADER = 'x-identity-assertion'

const TYPE = 'ga1'
/** The longest lifetime a service accepts, whatever the gateway is configured with. */
export const MAX_ASSERTION_LIFETIME_SECONDS = 60
/** Clock difference tolerated between the gateway and a service. */
export const ASSERTION_SKEW_SECONDS = 5

/** The user an assertion names: what the gateway verified from the access token. */
export interface AssertedUser {
  sub: string
  roles: string[]
  sid: string | null
  /** Epoch seconds of the session's last password, code or passkey proof; null when unknown. */
  authTime: number | null
}

export interface AssertionInput {
  /** The service the request goes to; a list means any of them (test helpers; the gateway names one). */
  audience: string | readonly string[]
  /** The request id the gateway sends in `x-request-id`. */
  requestId: string
  /** The client's address as the gateway's trusted-proxy rules resolved it. */
  ip: string
  user: AssertedUser | null
  ttlSeconds: number
}

/** A verified assertion. */
export interface IdentityAssertion {
  jti: string
  /** Epoch seconds. */
  exp: number
  ip: string
  user: AssertedUser | null
}

const nonce = randomBytes(9).toString('base64url')
let counter = 0
// The user part of an assertion is the same for every request of one verified token.
const userParts = new WeakMap<AssertedUser, string>()

function userPart (user: AssertedUser | null): string {
  if (!user) return ''
  let part = userParts.get(user)
  if (part === undefined) {
    part = `,"sub":${JSON.stringify(user.sub)},"roles":${JSON.stringify(user.roles)},"sid":${JSON.stringify(user.sid)},"authTime":${JSON.stringify(user.authTime)}`
    userParts.set(user, part)
  }
  return part
}

/**
 * `ga1.<kid>.<payload>.<mac>`: the payload names the audience (`aud`), the
 * request id (`rid`), `iat`/`exp`, a unique `jti`, the client `ip` and, for a
 * signed-in user, `sub`, `roles`, `sid` and `authTime`.
 */
export function signIdentityAssertion (keyring: Keyring, input: AssertionInput, nowMs = Date.now()): string {
  const iat = Math.floor(nowMs / 1000)
  const json = `{"aud":${JSON.stringify(input.audience)},"rid":${JSON.stringify(input.requestId)},"ip":${JSON.stringify(input.ip)},` +
    `"iat":${iat},"exp":${iat + input.ttlSeconds},"jti":"${nonce}${(counter++).toString(36)}"${userPart(input.user)}}`
  return signJson(keyring, TYPE, json)
}

/** Remembers the assertion ids seen until they expire: a second use of one is a replay. */
export interface ReplayGuard {
  /** True the first time `jti` is presented; false when it was seen before and has not expired since. */
  firstUse(jti: string, expSeconds: number, nowSeconds: number): boolean
  readonly size: number
}

/**
 * A bounded, per-instance set of assertion ids. Ids arrive in about the order
 * they expire (the gateway gives each the same lifetime), so expired ones are
 * swept from the front. When full of live ids (more than `maxEntries` requests
 * within one lifetime) the oldest is forgotten rather than refusing traffic.
 */
export function createReplayGuard (maxEntries = 200_000): ReplayGuard {
  const seen = new Map<string, number>()
  return {
    firstUse (jti, expSeconds, nowSeconds) {
      for (const [id, exp] of seen) {
        if (exp + ASSERTION_SKEW_SECONDS >= nowSeconds && seen.size < maxEntries) break
        seen.delete(id)
      }
      if (seen.has(jti)) return false
      seen.set(jti, expSeconds)
      return true
    },
    get size () { return seen.size }
  }
}

export interface AssertionCheckOptions {
  keyring: Keyring
  /** This service's name. */
  audience: string
  /** The request's id (`x-request-id`): the assertion must name it. */
  requestId: string
  nowMs: number
  /** Omit only where the assertion was already counted (it is then not checked for replay). */
  replay?: ReplayGuard
}

export type AssertionCheck = { ok: true, assertion: IdentityAssertion } | { ok: false, reason: string }

const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every(x => typeof x === 'string')

function userOf (claims: Record<string, unknown>): AssertedUser | null | undefined {
  const { sub, roles, sid, authTime } = claims
  if (sub === undefined) return null
  if (typeof sub !== 'string' || !isStringArray(roles)) return undefined
  if (sid !== null && typeof sid !== 'string') return undefined
  if (authTime !== null && typeof authTime !== 'number') return undefined
  return { sub, roles, sid, authTime }
}

/** Refuses an assertion that is forged, stale, for another service, for another request, or seen before. */
export function checkIdentityAssertion (presented: string, options: AssertionCheckOptions): AssertionCheck {
  const opened = openToken(options.keyring, TYPE, presented)
  if (!opened.ok) return opened
  const { claims } = opened
  const { aud, rid, ip, jti } = claims
  const forUs = aud === options.audience || (Array.isArray(aud) && aud.includes(options.audience))
  if (!forUs) return { ok: false, reason: 'foreign audience' }
  if (rid !== options.requestId) return { ok: false, reason: 'request id mismatch' }
  const user = userOf(claims)
  if (typeof ip !== 'string' || typeof jti !== 'string' || user === undefined) return { ok: false, reason: 'malformed' }
  const nowSeconds = Math.floor(options.nowMs / 1000)
  const problem = lifetimeProblem(claims, { nowSeconds, maxLifetimeSeconds: MAX_ASSERTION_LIFETIME_SECONDS, skewSeconds: ASSERTION_SKEW_SECONDS })
  if (problem) return { ok: false, reason: problem }
  const exp = claims.exp as number
  if (options.replay && !options.replay.firstUse(jti, exp, nowSeconds)) return { ok: false, reason: 'replayed' }
  return { ok: true, assertion: { jti, exp, ip, user } }
}
