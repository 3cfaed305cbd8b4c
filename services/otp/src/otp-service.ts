import { v7 as uuidv7 } from 'uuid'
import type { Db, Tx } from '@app/kit/db'
import type { EventEmitter, EventSpec } from '@app/kit/service'
import { DELIVERY_EXCHANGE, DELIVERY_REQUESTED, deliveryRoutingKey, sealSecrets } from '@app/contracts/delivery'
import { codeHmac, deriveCode, newSalt, sameHmac } from './code.ts'
import { parseDestination } from './destination.ts'
import type { Destination } from './destination.ts'
import { OtpErrors } from './errors.ts'
import type { Limits } from './limits.ts'
import type { LiveCodes } from './live-codes.ts'
import type { OtpRecord, OtpStore } from './otp-store.ts'

export const PURPOSES = ['verification', 'login', 'password_reset', 'mfa'] as const
export type Purpose = typeof PURPOSES[number]

export interface OtpServiceDeps {
  db: Db
  store: OtpStore
  live: LiveCodes
  limits: Limits
  events: EventEmitter
  now: () => Date
  hmacKey: Buffer
  serviceSecret: string
  ttlSeconds: number
  maxAttempts: number
  cooldownSeconds: number
}

export interface SendRequest {
  destination: string
  purpose?: Purpose | undefined
  userId?: string | undefined
  /** The client's address, for the per-IP limit; unknown for sends other services ask for in the background. */
  ip?: string | undefined
}

export interface Sent {
  message: string
  expiresIn: number
  resendAfter: number
}

const expired = () => OtpErrors.otp_expired({ detail: 'There is no valid code for this destination; request a new one with /otp/generate or /otp/regenerate' })

export function createOtpService (deps: OtpServiceDeps) {
  const { db, store, live, limits, events, now } = deps

  const sent = (verb: string): Sent => ({ message: `A code ${verb}`, expiresIn: deps.ttlSeconds, resendAfter: deps.cooldownSeconds })

  function deliverySpec (record: OtpRecord, code: string, purpose: string): EventSpec {
    const request = {
      template: 'otp_code',
      channel: record.channel,
      to: record.destination,
      userId: record.userId,
      variables: { purpose, expiresInMinutes: String(Math.round(deps.ttlSeconds / 60)) },
      sealed: sealSecrets({ code }, deps.serviceSecret)
    }
    return { type: DELIVERY_REQUESTED, data: request, subject: record.userId ?? undefined, options: { exchange: DELIVERY_EXCHANGE, routingKey: deliveryRoutingKey('otp_code') } }
  }

  async function requestDelivery (tx: Tx, record: OtpRecord, code: string, purpose: string): Promise<void> {
    const { type, data, subject, options } = deliverySpec(record, code, purpose)
    await events.emit(tx, type, data, subject, options)
  }

  function eventData (destination: Destination, purpose: string, extra: Record<string, unknown> = {}) {
    return { destination: destination.value, channel: destination.channel, purpose, ...extra }
  }

  /** A new code replaces any live one, in the database and then the cache. */
  async function issue (request: SendRequest, type: 'otp.generated' | 'otp.regenerated'): Promise<Sent> {
    const destination = parseDestination(request.destination)
    const purpose = request.purpose ?? 'verification'
    await limits.admitSend(destination.value, purpose, request.ip)
    const salt = newSalt()
    const code = deriveCode(deps.hmacKey, salt)
    const at = now()
    const record: OtpRecord = {
      id: uuidv7(),
      destination: destination.value,
      purpose,
      channel: destination.channel,
      codeHmac: codeHmac(deps.hmacKey, destination.value, purpose, code),
      salt,
      userId: request.userId ?? null,
      expiresAt: new Date(at.getTime() + deps.ttlSeconds * 1000),
      lastSentAt: at
    }
    const { statement, params } = store.replaceStatement(record, at)
    await events.emitWith(db, statement, params, [
      deliverySpec(record, code, purpose),
      { type, data: eventData(destination, purpose, { expiresAt: record.expiresAt.toISOString() }), subject: record.userId ?? undefined }
    ])
    await live.remember(record, at)
    return sent(type === 'otp.generated' ? 'is on its way' : 'replaced the previous one and is on its way')
  }

  /**
   * Tries a code against the live record; if the record turns out stale (the
   * cache lagged behind a regenerate elsewhere), reloads it from the database once.
   */
  async function check (destination: Destination, purpose: string, code: string, record: OtpRecord, retried = false): Promise<void> {
    const at = now()
    if (record.expiresAt <= at) {
      await store.expire(record.id, at)
      await live.forget(destination.value, purpose)
      throw expired()
    }
    const matches = sameHmac(record.codeHmac, codeHmac(deps.hmacKey, destination.value, purpose, code))
    const outcome = await db.tx(async (tx) => {
      if (matches) {
        if (!await store.spend(record.id, at, deps.maxAttempts, tx)) return 'stale' as const
        await events.emit(tx, 'otp.validated', eventData(destination, purpose), record.userId ?? undefined)
        return 'spent' as const
      }
      const attempts = await store.recordFailure(record.id, at, deps.maxAttempts, tx)
      if (attempts === undefined) return 'stale' as const
      await events.emit(tx, 'otp.validation_failed', eventData(destination, purpose, { attempts, dead: attempts >= deps.maxAttempts }), record.userId ?? undefined)
      return attempts
    })
    if (outcome === 'spent') {
      await live.forget(destination.value, purpose)
      await limits.clearCooldown(destination.value, purpose)
      return
    }
    if (outcome === 'stale') {
      await live.forget(destination.value, purpose)
      const fresh = retried ? undefined : await store.findActive(destination.value, purpose)
      if (fresh && fresh.id !== record.id) return check(destination, purpose, code, fresh, true)
      if (!matches) await limits.recordFailure(destination.value)
      throw expired()
    }
    await limits.recordFailure(destination.value)
    if (outcome >= deps.maxAttempts) {
      await live.forget(destination.value, purpose)
      throw OtpErrors.otp_attempts_exceeded({ detail: 'Too many wrong codes: this code no longer works; request a new one', extra: { attemptsLeft: 0 } })
    }
    const attemptsLeft = deps.maxAttempts - outcome
    throw OtpErrors.otp_invalid({
      detail: `The code is wrong; ${attemptsLeft} ${attemptsLeft === 1 ? 'try' : 'tries'} left`,
      errors: [{ path: '/body/otp', message: 'is not the code that was sent' }],
      extra: { attemptsLeft }
    })
  }

  return {
    generate: (request: SendRequest) => issue(request, 'otp.generated'),
    regenerate: (request: SendRequest) => issue(request, 'otp.regenerated'),

    /** Sends the same live code again (cache first, then the database); 410 when none is live. */
    async resend (request: SendRequest): Promise<Sent> {
      const destination = parseDestination(request.destination)
      const purpose = request.purpose ?? 'verification'
      const record = await live.find(destination.value, purpose, now())
      if (!record || record.expiresAt <= now()) throw expired()
      await limits.admitSend(destination.value, purpose, request.ip)
      const at = now()
      const resent = await db.tx(async (tx) => {
        if (!await store.recordResend(record.id, at, tx)) return false
        await requestDelivery(tx, record, deriveCode(deps.hmacKey, record.salt), purpose)
        await events.emit(tx, 'otp.resent', eventData(destination, purpose, { expiresAt: record.expiresAt.toISOString() }), record.userId ?? undefined)
        return true
      })
      if (!resent) {
        await live.forget(destination.value, purpose)
        throw expired()
      }
      return sent('was sent again')
    },

    async validate (rawDestination: string, purpose: Purpose | undefined, code: string): Promise<{ valid: true }> {
      const destination = parseDestination(rawDestination)
      const p = purpose ?? 'verification'
      await limits.admitValidation(destination.value)
      const record = await live.find(destination.value, p, now())
      if (!record) throw expired()
      await check(destination, p, code, record)
      return { valid: true }
    }
  }
}

export type OtpService = ReturnType<typeof createOtpService>
