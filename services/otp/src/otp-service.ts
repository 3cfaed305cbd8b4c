import { v7 as uuidv7 } from 'uuid'
import type { Db, Queryable, Tx } from '@app/kit/db'
import { createBatcher } from '@app/kit/bus'
import { isBackendOutage, KitErrors } from '@app/kit/errors'
import type { EventEmitter, EventSpec } from '@app/kit/service'
import { DELIVERY_EXCHANGE, DELIVERY_REQUESTED, deliveryRoutingKey, sealSecrets } from '@app/contracts/delivery'
import type { OtpFlow } from '@app/contracts/verification'
import type { Keyring } from '@app/kit/keys'
import { newSalt } from './code.ts'
import { codeMatches, codeOf, newCode } from './code-keys.ts'
import { parseDestination } from './destination.ts'
import type { Destination } from './destination.ts'
import { OtpErrors } from './errors.ts'
import type { FraudGuard } from './fraud/fraud-guard.ts'
import type { Limits } from './limits.ts'
import type { LiveCodes } from './live-codes.ts'
import { isNotSpent } from './otp-store.ts'
import type { OtpRecord, OtpStore } from './otp-store.ts'

/** What the public API accepts; `reauth` codes are only sent by other services. */
export const PUBLIC_PURPOSES = ['verification', 'login', 'password_reset', 'mfa'] as const
export const PURPOSES = [...PUBLIC_PURPOSES, 'reauth'] as const
export type Purpose = typeof PURPOSES[number]

export interface OtpServiceDeps {
  db: Db
  store: OtpStore
  live: LiveCodes
  limits: Limits
  fraud: FraudGuard
  events: EventEmitter
  now: () => Date
  /** Derives codes and keys their stored HMACs (OTP_HMAC_KEYS). */
  hmacKeys: Keyring
  /** Seals codes into delivery requests (EVENT_SEAL_KEYS). */
  sealKeys: Keyring
  ttlSeconds: number
  maxAttempts: number
  cooldownSeconds: number
  /** SMS_ENABLED: false refuses every send to a phone number (400 sms_unavailable); unset counts as true. */
  smsEnabled?: boolean
}

export interface SendRequest {
  destination: string
  purpose?: Purpose | undefined
  /** The flow the code is for; a code validates for its own flow only. */
  flow: OtpFlow
  userId?: string | undefined
  /** The client's address, for the per-IP limit; unknown for sends other services ask for in the background. */
  ip?: string | undefined
}

export interface ValidateRequest {
  destination: string
  purpose?: Purpose | undefined
  flow: OtpFlow
  otp: string
}

/** Where a code lives: at most one is live per destination, purpose and flow. */
interface Slot {
  destination: Destination
  purpose: Purpose
  flow: OtpFlow
}

export interface Sent {
  message: string
  expiresIn: number
  resendAfter: number
}

/** A code to store with its events. */
interface NewCode {
  record: OtpRecord
  at: Date
  events: EventSpec[]
}

const MAX_CODES_PER_STATEMENT = 50

/** Splits codes into groups of distinct slots, in order: the nth code of a slot goes into the nth group. */
function bySlot (codes: NewCode[]): NewCode[][] {
  const groups: Array<{ codes: NewCode[], slots: Set<string> }> = []
  for (const code of codes) {
    const slot = `${code.record.flow}\n${code.record.purpose}\n${code.record.destination}`
    let group = groups.find(g => !g.slots.has(slot))
    if (!group) groups.push(group = { codes: [], slots: new Set() })
    group.codes.push(code)
    group.slots.add(slot)
  }
  return groups.map(g => g.codes)
}

const expired = () => OtpErrors.otp_expired({ detail: 'There is no valid code for this destination; request a new one with /otp/generate or /otp/regenerate' })

export function createOtpService (deps: OtpServiceDeps) {
  const { db, store, live, limits, fraud, events, now } = deps

  const sent = (verb: string): Sent => ({ message: `A code ${verb}`, expiresIn: deps.ttlSeconds, resendAfter: deps.cooldownSeconds })

  function deliverySpec (record: OtpRecord, code: string, purpose: string): EventSpec {
    const request = {
      template: 'otp_code',
      channel: record.channel,
      to: record.destination,
      userId: record.userId,
      variables: { purpose, expiresInMinutes: String(Math.round(deps.ttlSeconds / 60)) },
      sealed: sealSecrets({ code }, deps.sealKeys)
    }
    return { type: DELIVERY_REQUESTED, data: request, subject: record.userId ?? undefined, options: { exchange: DELIVERY_EXCHANGE, routingKey: deliveryRoutingKey('otp_code') } }
  }

  async function requestDelivery (tx: Tx, record: OtpRecord, code: string, purpose: string): Promise<void> {
    const { type, data, subject, options } = deliverySpec(record, code, purpose)
    await events.emit(tx, type, data, subject, options)
  }

  /**
   * Codes issued at the same time (the consumer of code requests issues many
   * at once) are stored with their events in one statement. Two codes of one
   * slot go in consecutive statements of one transaction: the later replaces
   * the earlier, as when issued one after the other.
   */
  const writeCode = createBatcher({
    run: async (codes: NewCode[]): Promise<void[]> => {
      const rounds = bySlot(codes)
      const write = async (q: Queryable) => {
        for (const round of rounds) {
          const { statement, params } = store.replaceStatement(round)
          await events.emitWith(q, statement, params, round.flatMap(c => c.events))
        }
      }
      await (rounds.length === 1 ? write(db) : db.tx(write))
      return codes.map(() => undefined)
    },
    maxBatch: MAX_CODES_PER_STATEMENT,
    retryAlone: err => !isBackendOutage(err)
  })

  function eventData (destination: Destination, purpose: Purpose, flow: OtpFlow) {
    return { destination: destination.value, channel: destination.channel, purpose, flow }
  }

  /** The checks before any send: SMS abuse screening, then cooldown and volume; returns events to write with the send. */
  async function admit (destination: Destination, purpose: string, request: SendRequest): Promise<EventSpec[]> {
    if (destination.channel === 'sms' && deps.smsEnabled === false) {
      throw KitErrors.sms_unavailable({
        detail: 'This deployment sends no SMS: ask for the code by email',
        errors: [{ path: '/body/destination', message: 'SMS is turned off here; use an email address' }]
      })
    }
    const suspected = destination.channel === 'sms' ? await fraud.screen(destination.value, request.ip) : []
    await limits.admitSend(destination.limitKey, purpose, request.flow, request.ip)
    return suspected
  }

  async function delivered (destination: Destination): Promise<void> {
    if (destination.channel === 'sms') await fraud.recordSent(destination.value)
  }

  /** A new code replaces any live one of its flow, in the database and then the cache. */
  async function issue (request: SendRequest, type: 'otp.generated' | 'otp.regenerated'): Promise<Sent> {
    const destination = parseDestination(request.destination)
    const purpose = request.purpose ?? 'verification'
    const suspected = await admit(destination, purpose, request)
    const salt = newSalt()
    const { code, stored } = newCode(deps.hmacKeys, salt, destination.value, purpose)
    const at = now()
    const record: OtpRecord = {
      id: uuidv7(),
      destination: destination.value,
      purpose,
      flow: request.flow,
      channel: destination.channel,
      codeHmac: stored,
      salt,
      userId: request.userId ?? null,
      expiresAt: new Date(at.getTime() + deps.ttlSeconds * 1000),
      lastSentAt: at
    }
    await writeCode({
      record,
      at,
      events: [
        deliverySpec(record, code, purpose),
        { type, data: { ...eventData(destination, purpose, request.flow), expiresAt: record.expiresAt.toISOString() }, subject: record.userId ?? undefined },
        ...suspected
      ]
    })
    await Promise.all([live.remember(record, at), delivered(destination)])
    return sent(type === 'otp.generated' ? 'is on its way' : 'replaced the previous one and is on its way')
  }

  /** The right code: spent with its event in one statement; 'stale' when it was no longer live. */
  async function spend (record: OtpRecord, { destination, purpose, flow }: Slot, at: Date): Promise<'spent' | 'stale'> {
    const { statement, params } = store.spendStatement(record.id, at, deps.maxAttempts)
    try {
      await events.emitWith(db, statement, params, [{ type: 'otp.validated', data: eventData(destination, purpose, flow), subject: record.userId ?? undefined }])
      return 'spent'
    } catch (err) {
      if (isNotSpent(err)) return 'stale'
      throw err
    }
  }

  /** A wrong code: counted with its event (its data needs the count, so a transaction); 'stale' when it was no longer live. */
  function countFailure (record: OtpRecord, { destination, purpose, flow }: Slot, at: Date): Promise<number | 'stale'> {
    return db.tx(async (tx) => {
      const attempts = await store.recordFailure(record.id, at, deps.maxAttempts, tx)
      if (attempts === undefined) return 'stale' as const
      await events.emit(tx, 'otp.validation_failed', { ...eventData(destination, purpose, flow), attempts, dead: attempts >= deps.maxAttempts }, record.userId ?? undefined)
      return attempts
    })
  }

  /**
   * Tries a code against the live record; if the record turns out stale (the
   * cache lagged behind a regenerate elsewhere), reloads it from the database once.
   */
  async function check (slot: Slot, code: string, record: OtpRecord, retried = false): Promise<void> {
    const { destination, purpose, flow } = slot
    const at = now()
    if (record.expiresAt <= at) {
      await store.expire(record.id, at)
      await live.forget(destination.value, purpose, flow)
      throw expired()
    }
    const matches = codeMatches(deps.hmacKeys, record, destination.value, purpose, code)
    const outcome = matches ? await spend(record, slot, at) : await countFailure(record, slot, at)
    if (outcome === 'spent') {
      await Promise.all([
        live.forget(destination.value, purpose, flow),
        limits.clearCooldown(destination.limitKey, purpose, flow),
        destination.channel === 'sms' ? fraud.recordValidated(destination.value) : undefined
      ])
      return
    }
    if (outcome === 'stale') {
      await live.forget(destination.value, purpose, flow)
      const fresh = retried ? undefined : await store.findActive(destination.value, purpose, flow)
      if (fresh && fresh.id !== record.id) return check(slot, code, fresh, true)
      if (!matches) await limits.recordFailure(destination.limitKey, flow)
      throw expired()
    }
    await limits.recordFailure(destination.limitKey, flow)
    if (outcome >= deps.maxAttempts) {
      await live.forget(destination.value, purpose, flow)
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
      const record = await live.find(destination.value, purpose, request.flow, now())
      const code = record && record.expiresAt > now() ? codeOf(deps.hmacKeys, record) : undefined
      if (!record || code === undefined) throw expired()
      const suspected = await admit(destination, purpose, request)
      const at = now()
      const resent = await db.tx(async (tx) => {
        if (!await store.recordResend(record.id, at, tx)) return false
        await requestDelivery(tx, record, code, purpose)
        await events.emit(tx, 'otp.resent', { ...eventData(destination, purpose, request.flow), expiresAt: record.expiresAt.toISOString() }, record.userId ?? undefined)
        for (const spec of suspected) await events.emit(tx, spec.type, spec.data)
        return true
      })
      if (!resent) {
        await live.forget(destination.value, purpose, request.flow)
        throw expired()
      }
      await delivered(destination)
      return sent('was sent again')
    },

    /** Spends the live code of the destination, purpose and flow; a code of another flow is not looked at. */
    async validate (request: ValidateRequest): Promise<{ valid: true }> {
      const slot: Slot = { destination: parseDestination(request.destination), purpose: request.purpose ?? 'verification', flow: request.flow }
      // The failure budget and the live code are read together (one round trip to the cache); the budget decides first.
      const [, record] = await Promise.all([
        limits.admitValidation(slot.destination.limitKey, slot.flow),
        live.find(slot.destination.value, slot.purpose, slot.flow, now())
      ])
      if (!record) throw expired()
      await check(slot, request.otp, record)
      return { valid: true }
    }
  }
}

export type OtpService = ReturnType<typeof createOtpService>
