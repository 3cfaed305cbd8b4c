import type { Logger } from 'pino'
import type { Cache } from '@app/kit/cache'
import type { Db, Tx } from '@app/kit/db'
import { hasErrorCode } from '@app/kit/errors'
import type { EventEmitter } from '@app/kit/service'
import { DELIVERY_EXCHANGE, DELIVERY_REQUESTED, deliveryRoutingKey, sealSecrets } from '@app/contracts/delivery'
import type { DeliveryRequest, SealKeys } from '@app/contracts/delivery'
import type { UserClient } from './clients.ts'
import { EmailVerificationErrors } from './errors.ts'
import { hashVerificationToken, newVerificationToken } from './verification-tokens.ts'
import type { VerificationTarget, VerificationTokenStore } from './verification-tokens.ts'

/** Send requests travel here, not on `events`: they name an address that may not be an account. */
export const JOBS_EXCHANGE = 'email-verification-jobs'
export const SEND_RECEIVED = 'email_verification.send_received'

export interface SendJob {
  email: string
}

/** Whom a verification mail goes to. */
export interface Recipient extends VerificationTarget {
  locale?: string | undefined
}

export interface EmailVerificationServiceDeps {
  db: Db
  tokens: VerificationTokenStore
  users: UserClient
  events: EventEmitter
  cache: Cache
  log: Logger
  now: () => Date
  /** Seals verification links into delivery requests (EVENT_SEAL_KEYS). */
  sealKeys: SealKeys
  ttlSeconds: number
  verifyUrl: string
  maxPerHour: number
}

function tokenInvalid () {
  return EmailVerificationErrors.verification_token_invalid({
    detail: 'This verification link is invalid, expired, already used or replaced by a newer one; ask for a new one',
    errors: [{ path: '/body/token', message: 'is invalid, expired or already used' }]
  })
}

function emailChanged () {
  return EmailVerificationErrors.verification_email_changed({
    detail: 'The link was sent to an address that is no longer the account\'s email; a link sent to the current address is needed',
    errors: [{ path: '/body/token', message: 'verifies an address the account no longer has' }]
  })
}

export function createEmailVerificationService (deps: EmailVerificationServiceDeps) {
  const { db, tokens, users, events, cache, log, now } = deps

  function verifyLink (token: string): string {
    const url = new URL(deps.verifyUrl)
    url.searchParams.set('token', token)
    return url.toString()
  }

  /** Counts a mail against the user's hourly allowance; false when it is used up. */
  async function mayMail (userId: string): Promise<boolean> {
    const sent = await cache.incr(`email-verification:sent:${userId}`, 3600)
    if (sent <= deps.maxPerHour) return true
    log.info({ userId }, 'verification mail dropped: too many this hour')
    return false
  }

  /** A fresh link replaces every earlier one of the user; the token leaves only sealed. */
  async function issue (recipient: Recipient, tx: Tx): Promise<void> {
    const token = newVerificationToken()
    const at = now()
    await tokens.revokeAllOf(recipient.userId, at, tx)
    await tokens.insert({ hash: hashVerificationToken(token), userId: recipient.userId, email: recipient.email, createdAt: at, expiresAt: new Date(at.getTime() + deps.ttlSeconds * 1000) }, tx)
    const request: DeliveryRequest = {
      template: 'email_verification_link',
      channel: 'email',
      to: recipient.email,
      userId: recipient.userId,
      ...(recipient.locale ? { locale: recipient.locale } : {}),
      variables: { expiresInMinutes: String(Math.round(deps.ttlSeconds / 60)) },
      sealed: sealSecrets({ link: verifyLink(token) }, deps.sealKeys)
    }
    await events.emit(tx, DELIVERY_REQUESTED, request, recipient.userId, { exchange: DELIVERY_EXCHANGE, routingKey: deliveryRoutingKey(request.template) })
    await events.emit(tx, 'email_verification.sent', { userId: recipient.userId, email: recipient.email }, recipient.userId)
  }

  return {
    /**
     * Accepts the request without looking anything up: the lookup and the
     * mail happen in the background, so a known and an unknown address cost
     * the caller the same time and get the same answer.
     */
    async requestSend (job: SendJob): Promise<void> {
      await db.tx(tx => events.emit(tx, SEND_RECEIVED, job, undefined, { exchange: JOBS_EXCHANGE }))
    },

    /** The background half of `requestSend`, before its transaction: whom to mail, if anyone. */
    async prepareSend (job: SendJob): Promise<Recipient | undefined> {
      let user
      try {
        user = await users.lookupByEmail(job.email)
      } catch (err) {
        if (hasErrorCode(err, 'user_not_found', 'validation_failed')) return undefined
        throw err
      }
      if (!user.email || user.emailVerified) return undefined
      if (!await mayMail(user.id)) return undefined
      return { userId: user.id, email: user.email, locale: user.locale }
    },

    /** The background half of `requestSend`, in the consumer's transaction. */
    completeSend: issue,

    /** A new or changed address gets its link without being asked, within the same hourly allowance. */
    async mailNewAddress (recipient: Recipient, tx: Tx): Promise<void> {
      if (await mayMail(recipient.userId)) await issue(recipient, tx)
    },

    /** Whether the page may offer to confirm this token; nothing is changed. */
    isLive: async (token: string) => (await tokens.findLive(hashVerificationToken(token), now())) !== undefined,

    /**
     * Spends the token, then has the user service mark the address verified
     * (only while it is still the account's email). The call happens outside
     * any transaction; the events follow once the user service agreed.
     */
    async verify (token: string, requestId?: string): Promise<{ email: string, verified: true }> {
      const hash = hashVerificationToken(token)
      const claimed = await db.tx(tx => tokens.claim(hash, now(), tx))
      if (!claimed) throw tokenInvalid()
      try {
        await users.markEmailVerified(claimed.userId, claimed.email, requestId)
      } catch (err) {
        if (hasErrorCode(err, 'user_not_found')) throw emailChanged()
        await tokens.release(hash)
        throw err
      }
      await db.tx(async (tx) => {
        await tokens.revokeAllOf(claimed.userId, now(), tx)
        const data = { userId: claimed.userId, email: claimed.email }
        await events.emit(tx, 'user.email_verified', data, claimed.userId)
        await events.emit(tx, 'email_verification.verified', data, claimed.userId)
      })
      return { email: claimed.email, verified: true }
    }
  }
}

export type EmailVerificationService = ReturnType<typeof createEmailVerificationService>
