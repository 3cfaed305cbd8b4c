import { v7 as uuidv7 } from 'uuid'
import type { Logger } from 'pino'
import type { Cache } from '@app/kit/cache'
import type { Db, Tx } from '@app/kit/db'
import { hasErrorCode } from '@app/kit/errors'
import type { EventEmitter } from '@app/kit/service'
import { DELIVERY_EXCHANGE, DELIVERY_REQUESTED, deliveryRoutingKey, sealSecrets } from '@app/contracts/delivery'
import type { SealKeys } from '@app/contracts/delivery'
import type { EventData } from '@app/contracts/events'
import type { SessionContext, TokenPair } from '../auth-service.ts'
import { clientNetwork } from '../client-network.ts'
import type { KnownClients } from '../known-clients.ts'
import { identifierHash } from '../known-clients.ts'
import type { MfaChallenge } from '../mfa.ts'
import type { SecondSteps } from '../second-steps.ts'
import type { UserClient, UserSummary } from '../user-client.ts'
import { coarseNetwork, describeAgent } from './client-info.ts'
import { MagicLinkErrors } from './errors.ts'
import type { MagicLinkFailure } from './errors.ts'
import { newSecret, sameHash, sha256Hex } from './secrets.ts'
import type { MagicLink, MagicLinkStore } from './store.ts'

/** Magic-link requests travel on auth's jobs exchange, not `events`: they name addresses that may not be accounts. */
export const MAGIC_LINK_RECEIVED = 'auth.magic_link_received'
export type MagicLinkJob = EventData<typeof MAGIC_LINK_RECEIVED>

// Long enough to follow a redirect and make one API call; a code is spent at once.
const EXCHANGE_CODE_TTL_SECONDS = 60

export interface MagicLinkSettings {
  ttlSeconds: number
  /** A link to an address without an account creates the account when used (AUTH_MAGIC_LINK_SIGNUP). */
  signup: boolean
  /** The page the mailed link opens; `?token=` is appended. */
  linkUrl: string
  maxPerHour: number
}

export interface MagicLinkDeps {
  db: Db
  events: EventEmitter
  users: UserClient
  store: MagicLinkStore
  cache: Cache
  log: Logger
  now: () => Date
  sealKeys: SealKeys
  settings: MagicLinkSettings
  startSession: (user: UserSummary, method: 'magic_link', context: SessionContext) => Promise<TokenPair>
  /** The user's second step when two-step login is on. */
  challengeFor: (user: UserSummary) => Promise<MfaChallenge | undefined>
  knownClients: KnownClients
  secondSteps: SecondSteps
  /** Ends what the previous holder of an account left in auth (sessions, two-step login, passkeys) once the link claimed it. */
  claimed: (userId: string) => Promise<void>
}

/** Who asked, as the request route saw it. */
export interface Requester {
  ip: string
  userAgent?: string | undefined
}

/** The browser presenting a link: its nonce cookie, and whether the person confirmed signing in on it anyway. */
export interface Presenter extends Requester {
  nonce?: string | undefined
  confirmDevice?: boolean | undefined
  requestId?: string | undefined
}

/** What the page of a live link shows. */
export interface LiveLink {
  sameBrowser: boolean
  requestedAgent: string
  requestedNetwork: string
  requestedAt: Date
  redirectTo: string | null
}

interface SendTarget {
  userId: string | null
}

const emailKey = (email: string) => email.toLowerCase()

export function createMagicLinks (deps: MagicLinkDeps) {
  const { db, events, users, store, cache, log, now, settings } = deps

  function linkFor (token: string): string {
    const url = new URL(settings.linkUrl)
    url.searchParams.set('token', token)
    return url.toString()
  }

  /** Audited: `auth.login_failed` with the reason; the identifier is the address's hash, or the token's for an unknown link. */
  async function refuse (reason: MagicLinkFailure, identifier: string, detail: string): Promise<never> {
    await db.tx(tx => events.emit(tx, 'auth.login_failed', { method: 'magic_link', reason, identifierHash: identifierHash(identifier) }))
    throw MagicLinkErrors[reason]({ detail, errors: [{ path: '/body/token', message: detail }] })
  }

  const isSameBrowser = (link: MagicLink, nonce: string | undefined) => nonce !== undefined && sameHash(sha256Hex(nonce), link.nonceHash)

  function otherDevice (link: MagicLink): never {
    throw MagicLinkErrors.magic_link_other_device({
      detail: `This link was requested from ${link.requestedAgent} (${link.requestedNetwork}). Confirm that you want to sign in on this device: send confirmDevice: true.`,
      extra: { requestedFrom: { agent: link.requestedAgent, network: link.requestedNetwork, at: link.createdAt.toISOString() } }
    })
  }

  /**
   * The account the link stands for, its email now verified; created on first use when sign-up by link is on.
   * An account whose email was not verified is the prover's now (the user service cleared its password): whatever
   * its previous holder left here ends before the new session starts.
   */
  async function accountOf (link: MagicLink, requestId?: string): Promise<UserSummary> {
    try {
      const { user, claimed } = await users.findOrCreateByEmail({ email: link.email, create: link.userId === null && settings.signup }, requestId)
      if (claimed === true) await deps.claimed(user.id)
      // The address moved to another account since the link was sent: it was not sent for that one.
      if (link.userId !== null && user.id !== link.userId) return await refuse('magic_link_invalid', emailKey(link.email), 'is not valid for this account any more')
      return user
    } catch (err) {
      if (hasErrorCode(err, 'user_not_found')) return refuse('magic_link_invalid', emailKey(link.email), 'belongs to an account that no longer exists')
      throw err
    }
  }

  /** A token pair, or the second step when the user has two-step login on (exactly as after a password). */
  async function signIn (link: MagicLink, who: Presenter): Promise<TokenPair | MfaChallenge> {
    const user = await accountOf(link, who.requestId)
    const identifier = emailKey(link.email)
    const network = clientNetwork(who.ip)
    const known = await deps.knownClients.match(identifier, { network })
    const newDevice = !(known.network?.has(user.id) ?? false)
    if (!user.disabled) {
      const challenge = await deps.challengeFor(user)
      if (challenge) {
        await deps.secondSteps.hold(challenge.challengeId, { identifierHash: identifierHash(identifier), userId: user.id, newDevice, network })
        return challenge
      }
    }
    // A disabled account is refused here (403 account_disabled), after the link was spent.
    const pair = await deps.startSession(user, 'magic_link', { ip: who.ip, userAgent: who.userAgent, newDevice })
    await deps.knownClients.remember(identifierHash(identifier), user.id, { network })
    return pair
  }

  /** The link of a token, spent: checks it is live and, from another browser, that the person confirmed. */
  async function spend (token: string, who: Presenter): Promise<MagicLink> {
    const tokenHash = sha256Hex(token)
    const link = await store.findByToken(tokenHash)
    if (!link) return refuse('magic_link_invalid', tokenHash, 'is not a magic link; ask for a new one')
    const at = now()
    if (link.usedAt) return refuse('magic_link_used', emailKey(link.email), 'was already used; ask for a new one')
    if (link.expiresAt <= at) return refuse('magic_link_expired', emailKey(link.email), 'has expired; ask for a new one')
    if (!isSameBrowser(link, who.nonce) && who.confirmDevice !== true) otherDevice(link)
    const claimed = await store.claim(link.id, at)
    // Another request spent it between the read and the claim.
    if (!claimed) return refuse('magic_link_used', emailKey(link.email), 'was already used; ask for a new one')
    return claimed
  }

  return {
    /** Accepts without looking anything up: known and unknown addresses cost the caller the same and get the same answer. */
    async request (email: string, redirectTo: string | null, nonce: string, who: Requester): Promise<void> {
      const job: MagicLinkJob = {
        email,
        redirectTo,
        nonceHash: sha256Hex(nonce),
        requestedAgent: describeAgent(who.userAgent),
        requestedNetwork: coarseNetwork(who.ip)
      }
      await events.emitWith(db, outbox => `with ${outbox} select 1`, [], [{ type: MAGIC_LINK_RECEIVED, data: job, options: { exchange: 'auth-jobs' } }])
    },

    /** The background half of `request`, before its transaction: whom to mail, or undefined to mail nobody. */
    async prepareSend (job: MagicLinkJob): Promise<SendTarget | undefined> {
      let user: UserSummary | undefined
      try {
        user = await users.findByEmail(job.email)
      } catch (err) {
        if (!hasErrorCode(err, 'user_not_found', 'validation_failed')) throw err
      }
      if (user?.disabled) return undefined
      if (!user && !settings.signup) return undefined
      const sent = await cache.incr(`auth:magic-link:sent:${sha256Hex(emailKey(job.email))}`, 3600)
      if (sent > settings.maxPerHour) {
        log.info({ userId: user?.id ?? null }, 'magic-link request dropped: too many this hour for the address')
        return undefined
      }
      return { userId: user?.id ?? null }
    },

    /** The background half of `request`, in the consumer's transaction: the link is stored (hashed) and mailed. */
    async completeSend (job: MagicLinkJob, target: SendTarget, tx: Tx): Promise<void> {
      const token = newSecret()
      const at = now()
      await store.insert({
        id: uuidv7(),
        tokenHash: sha256Hex(token),
        email: job.email,
        userId: target.userId,
        nonceHash: job.nonceHash,
        redirectTo: job.redirectTo,
        requestedAgent: job.requestedAgent,
        requestedNetwork: job.requestedNetwork,
        createdAt: at,
        expiresAt: new Date(at.getTime() + settings.ttlSeconds * 1000)
      }, tx)
      await events.emit(tx, DELIVERY_REQUESTED, {
        template: 'magic_link',
        channel: 'email',
        to: job.email,
        userId: target.userId,
        variables: { expiresInMinutes: String(Math.round(settings.ttlSeconds / 60)) },
        sealed: sealSecrets({ link: linkFor(token) }, deps.sealKeys)
      }, target.userId ?? undefined, { exchange: DELIVERY_EXCHANGE, routingKey: deliveryRoutingKey('magic_link') })
      await events.emit(tx, 'auth.magic_link_requested', { userId: target.userId, signup: target.userId === null }, target.userId ?? undefined)
    },

    /** For the page a link opens: nothing is spent (mail scanners open links). */
    async open (token: string, nonce: string | undefined): Promise<LiveLink | undefined> {
      const link = await store.findByToken(sha256Hex(token))
      if (!link || link.usedAt || link.expiresAt <= now()) return undefined
      return {
        sameBrowser: isSameBrowser(link, nonce),
        requestedAgent: link.requestedAgent,
        requestedNetwork: link.requestedNetwork,
        requestedAt: link.createdAt,
        redirectTo: link.redirectTo
      }
    },

    /** POST verify with the link's token: the sign-in. */
    async verify (token: string, who: Presenter): Promise<TokenPair | MfaChallenge> {
      return signIn(await spend(token, who), who)
    },

    /**
     * The hosted page's button: spends the link and answers where to send the browser, the link's `redirectTo`
     * with a one-time `code` (60 s) that the app exchanges at POST verify, so tokens never travel in a URL.
     */
    async confirmOnPage (token: string, who: Presenter): Promise<string> {
      const link = await spend(token, who)
      if (!link.redirectTo) throw new Error('magic link without redirectTo confirmed on the hosted page')
      const code = newSecret()
      await store.setCode(link.id, sha256Hex(code), new Date(now().getTime() + EXCHANGE_CODE_TTL_SECONDS * 1000))
      const target = new URL(link.redirectTo)
      target.searchParams.set('code', code)
      return target.toString()
    },

    /** POST verify with the code of a hosted-page confirmation. */
    async exchange (code: string, who: Presenter): Promise<TokenPair | MfaChallenge> {
      const link = await store.claimCode(sha256Hex(code), now())
      if (!link) {
        await db.tx(tx => events.emit(tx, 'auth.login_failed', { method: 'magic_link', reason: 'magic_link_invalid', identifierHash: identifierHash(sha256Hex(code)) }))
        throw MagicLinkErrors.magic_link_invalid({ detail: 'code is invalid, expired or already used', errors: [{ path: '/body/code', message: 'is invalid, expired or already used' }] })
      }
      return signIn(link, who)
    }
  }
}

export type MagicLinks = ReturnType<typeof createMagicLinks>
