import { Type } from '@sinclair/typebox'
import type { Static } from '@sinclair/typebox'
import { StrictObject } from '@app/kit/http'

/** `<area>.<past-tense fact>`, lower_snake words: `user.registered`, `email_verification.sent`. */
const EVENT_TYPE = '^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+$'
const Hash = Type.String({ pattern: '^[0-9a-f]{64}$', description: 'lower-case hex SHA-256' })
const Seq = Type.Integer({ minimum: 0, description: 'position in the chain, from 1, without gaps' })

export const AuditEventSchema = Type.Object({
  seq: Seq,
  id: Type.String({ description: 'the event id (CloudEvents `id`, a UUIDv7 for platform events)' }),
  type: Type.String({ examples: ['auth.login_succeeded'] }),
  source: Type.String({ examples: ['/services/auth'] }),
  subject: Type.Union([Type.String(), Type.Null()], { description: 'the user id, where the event has one' }),
  time: Type.String({ format: 'date-time', description: 'when the event happened, as its producer said (UTC, milliseconds)' }),
  data: Type.Unknown({ description: 'the event payload as stored: members named like password, token, code, otp or secret are removed before hashing; `{ "erased": true }` once the user it is about was deleted' }),
  dataHash: Type.Union([Hash, Type.Null()], { description: 'SHA-256 of the canonical JSON of the data as first stored; it stays when the data is erased. null for an entry stored before data hashes existed (its hash then covers `data`)' }),
  erasedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'when the data was erased because the user was deleted; null while it is as stored' }),
  prevHash: Hash,
  hash: Type.String({ pattern: '^[0-9a-f]{64}$', description: 'SHA-256 of the canonical JSON (keys sorted, no whitespace) of `{ dataHash, id, prevHash, source, subject, time, type }`' }),
  receivedAt: Type.String({ format: 'date-time', description: 'when the audit service stored it (not covered by the hash)' })
}, { $id: 'AuditEvent' })

export const AuditListQuerySchema = StrictObject({
  userId: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'only events whose subject is this user id' })),
  type: Type.Optional(Type.String({
    maxLength: 100,
    pattern: '^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*(\\.\\*)?$',
    description: 'an exact event type (`auth.login_failed`), or a prefix ending in `.*` (`auth.*`: every `auth.` type)'
  })),
  from: Type.Optional(Type.String({ format: 'date-time', description: 'events whose time is at or after this instant (ISO 8601 with offset)' })),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'events whose time is before this instant (exclusive)' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 200, description: 'the `nextCursor` of the previous page' }))
})
export type AuditListQuery = Static<typeof AuditListQuerySchema>

export const AuditPageSchema = Type.Object({
  items: Type.Array(Type.Ref('AuditEvent')),
  nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'null on the last page' })
})

export const VerifyResultSchema = Type.Object({
  ok: Type.Boolean(),
  checked: Type.Integer({ minimum: 0, description: 'entries checked; when broken, up to and including the first broken one' }),
  head: Type.Object({ seq: Seq, hash: Hash }, {
    description: 'the last entry that verified (seq 0 and 64 zeros when there is none): record it elsewhere to detect a later rewrite of the tail'
  }),
  firstBroken: Type.Optional(Type.Object({
    seq: Seq,
    eventId: Type.String(),
    reason: Type.Union([Type.Literal('seq_gap'), Type.Literal('prev_hash_mismatch'), Type.Literal('hash_mismatch')], {
      description: '`hash_mismatch`: the entry was changed after it was stored; `prev_hash_mismatch`: the entry before it was changed, replaced or removed; `seq_gap`: entries are missing before it'
    })
  }))
})

export const LogEventBodySchema = StrictObject({
  type: Type.String({ maxLength: 100, pattern: EVENT_TYPE, description: '`<area>.<past-tense fact>`', examples: ['order.refunded'] }),
  subject: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'the user id the event is about' })),
  data: Type.Object({}, { additionalProperties: true, description: 'the payload; members named like password, token, code, otp or secret are dropped, at any depth, before hashing' }),
  source: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'who says it happened; default `/services/audit`', examples: ['/services/order'] })),
  id: Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: '^[\\x21-\\x7e]+$', description: 'the event id; repeating a request with the same id stores nothing new (default: a new UUIDv7)' }))
})
export type LogEventBody = Static<typeof LogEventBodySchema>
