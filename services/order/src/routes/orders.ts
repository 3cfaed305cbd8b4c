import { Type } from '@sinclair/typebox'
import type { App } from '@app/kit/http'
import { isAdmin, problemResponses, requireCaller } from '@app/kit/http'
import type { OrderService, Viewer } from '../order-service.ts'
import { CreateOrderBodySchema, CreateOrderHeadersSchema, OrderIdParamsSchema, OrderListQuerySchema, OrderPageSchema } from '../schemas.ts'

type Request = Parameters<typeof requireCaller>[0]

const bearer = { tags: ['orders'], security: [{ bearer: [] }] }

// As an onRequest hook, so an anonymous request is answered 401 before its input is validated.
const authenticated = async (request: Request) => { requireCaller(request) }

function viewer (request: Request): Viewer {
  const caller = requireCaller(request)
  return { userId: caller.userId, admin: isAdmin(caller) }
}

export function orderRoutes (app: App, orders: OrderService): void {
  app.post('/api/v1/orders', {
    onRequest: authenticated,
    schema: {
      ...bearer,
      summary: 'Place an order',
      description: 'The total is computed here from the items. Emits `order.created`. ' +
        'With an `Idempotency-Key` the caller already used, nothing new is created: the same request gets the first order again ' +
        '(201, same body, header `Idempotent-Replayed: true`); a different request gets 422 `idempotency_key_reused`. Keys are per user.',
      headers: CreateOrderHeadersSchema,
      body: CreateOrderBodySchema,
      response: { 201: Type.Ref('Order'), ...problemResponses(400, 401, 413, 415, 422) }
    }
  }, async (request, reply) => {
    const { order, replayed } = await orders.createOrder(requireCaller(request).userId, request.body, request.headers['idempotency-key'])
    if (replayed) reply.header('idempotent-replayed', 'true')
    return reply.code(201).send(order)
  })

  app.get('/api/v1/orders/:id', {
    onRequest: authenticated,
    schema: {
      ...bearer,
      summary: 'An order (the caller\'s own, or any for an admin)',
      description: 'Someone else\'s order is 404 `order_not_found`, as an unknown id is.',
      params: OrderIdParamsSchema,
      response: { 200: Type.Ref('Order'), ...problemResponses(400, 401, 404) }
    }
  }, async (request) => orders.getOrder(viewer(request), request.params.id))

  app.get('/api/v1/orders', {
    onRequest: authenticated,
    schema: {
      ...bearer,
      summary: 'List orders, newest first',
      description: 'The caller\'s orders; an admin may pass `userId` for someone else\'s, or `all=true` for everyone\'s (403 for anyone else). Pass `nextCursor` back as `cursor` for the next page.',
      querystring: OrderListQuerySchema,
      response: { 200: OrderPageSchema, ...problemResponses(400, 401, 403) }
    }
  }, async (request) => orders.listOrders(viewer(request), request.query))
}
