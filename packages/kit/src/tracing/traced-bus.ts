import type { Bus } from '../bus/bus.ts'
import type { CloudEvent } from '../bus/event.ts'
import { activeTraceHeaders, contextFrom, injectTraceHeaders } from './trace-context.ts'
import { SpanKind } from './tracing.ts'
import type { Tracing } from './tracing.ts'

/**
 * Stamps a new event with the trace context it is written in (CloudEvents
 * distributed tracing extension: `traceparent`, `tracestate`). It travels in
 * the event, so it is stored with the outbox row and published with it.
 */
export function withTraceContext<E extends CloudEvent> (event: E, tracing: Tracing): E {
  if (!tracing.enabled) return event
  const headers = activeTraceHeaders()
  if (headers) Object.assign(event, headers)
  return event
}

/**
 * The bus with a producer span per publish (child of the context the event
 * was written in; the published event names the producer span as parent)
 * and a consumer span around each delivery, child of the event's context:
 * one trace from the request that wrote the event to what its consumers do.
 */
export function tracedBus (bus: Bus, tracing: Tracing): Bus {
  if (!tracing.enabled) return bus
  const system = bus.kind === 'rabbitmq' ? 'rabbitmq' : 'memory'
  return {
    ...bus,
    publish: (event, options) => tracing.span(`publish ${event.type}`, {
      kind: SpanKind.PRODUCER,
      parent: contextFrom(event),
      attributes: { 'messaging.system': system, 'messaging.operation.type': 'send', 'messaging.destination.name': options?.exchange ?? 'events', 'messaging.message.id': event.id, 'cloudevents.event_type': event.type }
    }, () => {
      const { tracestate: _previous, ...rest } = event
      return bus.publish(injectTraceHeaders({ ...rest }) as CloudEvent, options)
    }),
    subscribe: (options, handler) => bus.subscribe(options, (event, info) => tracing.span(`consume ${event.type}`, {
      kind: SpanKind.CONSUMER,
      parent: contextFrom(event),
      attributes: { 'messaging.system': system, 'messaging.operation.type': 'process', 'messaging.consumer.group.name': options.queue ?? options.group, 'messaging.message.id': event.id, 'cloudevents.event_type': event.type, 'messaging.delivery.attempt': info.attempt }
    }, () => handler(event, info)))
  }
}
