import { Type } from '@sinclair/typebox'
import type { App } from '@app/kit/http'
import { StrictObject, problemResponses, requireAdmin, requireCaller } from '@app/kit/http'
import { KitErrors } from '@app/kit/errors'
import type { Delivery, DeliveryStatus, DeliveryStore } from '../deliveries/delivery-store.ts'

type Request = Parameters<typeof requireCaller>[0]

// As onRequest hooks, so an anonymous request is answered 401 before its input is validated.
const authenticated = async (request: Request) => { requireCaller(request) }
const adminOnly = async (request: Request) => { requireAdmin(request) }

const bearer = { tags: ['notifications'], security: [{ bearer: [] }] }

const PageQuerySchema = StrictObject({
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
  cursor: Type.Optional(Type.String({ format: 'uuid', description: 'the `nextCursor` of the previous page' }))
})

const STATUSES = ['queued', 'sending', 'sent', 'failed', 'dead'] as const satisfies DeliveryStatus[]
const Status = Type.Union(STATUSES.map(s => Type.Literal(s)), {
  description: 'queued, sending, sent; failed = an attempt failed and another is due; dead = given up (a permanent failure, or attempts used up)'
})
const Timestamp = Type.String({ format: 'date-time' })

const HistoryItemSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  channel: Type.Union([Type.Literal('email'), Type.Literal('sms')]),
  template: Type.String(),
  status: Status,
  attempts: Type.Integer(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  sentAt: Type.Union([Timestamp, Type.Null()])
})

const DeadItemSchema = Type.Composite([HistoryItemSchema, Type.Object({
  userId: Type.Union([Type.String(), Type.Null()]),
  to: Type.String(),
  eventType: Type.Union([Type.String(), Type.Null()]),
  provider: Type.Union([Type.String(), Type.Null()]),
  lastError: Type.Union([Type.String(), Type.Null()])
})])

const DeliverySchema = Type.Composite([DeadItemSchema, Type.Object({
  maxAttempts: Type.Integer({ description: 'attempts allowed before it is given up on (dead)' })
})])

const ListQuerySchema = StrictObject({
  status: Type.Optional(Status),
  channel: Type.Optional(Type.Union([Type.Literal('email'), Type.Literal('sms')])),
  userId: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'only the deliveries to this user' })),
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
  cursor: Type.Optional(Type.String({ format: 'uuid', description: 'the `nextCursor` of the previous page' }))
})

const pageOf = <T extends ReturnType<typeof Type.Object>>(item: T) => Type.Object({
  items: Type.Array(item),
  nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'null on the last page' })
})

/** What a user may see of a delivery: never the address book, the body, a code or a token. */
const historyItem = (d: Delivery) => ({
  id: d.id, channel: d.channel, template: d.template, status: d.status, attempts: d.attempts, createdAt: d.createdAt, updatedAt: d.updatedAt, sentAt: d.sentAt
})

const deadItem = (d: Delivery) => ({ ...historyItem(d), userId: d.userId, to: d.to, eventType: d.eventType, provider: d.provider, lastError: d.lastError })

/** What an administrator sees of any delivery: the dead list's fields and the attempts allowed; never its variables or sealed secrets. */
const adminItem = (d: Delivery) => ({ ...deadItem(d), maxAttempts: d.maxAttempts })

/** The caller's delivery history, and what administrators do with deliveries that failed for good. */
export function notificationRoutes (app: App, store: DeliveryStore, wake: () => void): void {
  app.get('/api/v1/notifications/me', {
    onRequest: authenticated,
    schema: {
      ...bearer,
      summary: 'The caller\'s delivery history, newest first',
      description: 'Channel, template, status, attempts and times of every message sent to the caller; never its content. Pass `nextCursor` back as `cursor` for the next page.',
      querystring: PageQuerySchema,
      response: { 200: pageOf(HistoryItemSchema), ...problemResponses(400, 401) }
    }
  }, async (request) => {
    const page = await store.listForUser(requireCaller(request).userId, request.query.limit, request.query.cursor)
    return { items: page.items.map(historyItem), nextCursor: page.nextCursor }
  })

  app.get('/api/v1/notifications', {
    onRequest: adminOnly,
    schema: {
      ...bearer,
      summary: 'Every delivery (admin), newest first',
      description: 'Each message with its status, attempts, provider and last error, filtered by `status`, `channel` and `userId` (all optional); never its content, a code or a token. Pass `nextCursor` back as `cursor` for the next page.',
      querystring: ListQuerySchema,
      response: { 200: pageOf(DeliverySchema), ...problemResponses(400, 401, 403) }
    }
  }, async (request) => {
    const { limit, cursor, ...filter } = request.query
    const page = await store.list(filter, limit, cursor)
    return { items: page.items.map(adminItem), nextCursor: page.nextCursor }
  })

  app.get('/api/v1/notifications/dead', {
    onRequest: adminOnly,
    schema: {
      ...bearer,
      summary: 'Deliveries given up on (admin), newest first',
      description: 'A permanent failure (an invalid number, a rejected address) or every attempt used up, with the last error. Retry one with `POST /api/v1/notifications/{id}/retry`.',
      querystring: PageQuerySchema,
      response: { 200: pageOf(DeadItemSchema), ...problemResponses(400, 401, 403) }
    }
  }, async (request) => {
    const page = await store.listDead(request.query.limit, request.query.cursor)
    return { items: page.items.map(deadItem), nextCursor: page.nextCursor }
  })

  app.post('/api/v1/notifications/:id/retry', {
    onRequest: adminOnly,
    schema: {
      ...bearer,
      summary: 'Send a dead delivery again (admin)',
      description: 'Queues it with a fresh set of attempts. 409 `conflict` when it is not dead.',
      params: StrictObject({ id: Type.String({ format: 'uuid' }) }),
      response: { 202: DeadItemSchema, ...problemResponses(400, 401, 403, 404, 409) }
    }
  }, async (request, reply) => {
    const requeued = await store.requeueDead(request.params.id)
    if (!requeued) {
      const found = await store.findById(request.params.id)
      if (!found) throw KitErrors.not_found('No such delivery')
      throw KitErrors.conflict(`The delivery is ${found.status}, not dead`)
    }
    wake()
    return reply.code(202).send(deadItem(requeued))
  })
}
