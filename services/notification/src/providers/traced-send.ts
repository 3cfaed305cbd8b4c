import { contextFrom, recordFailure, runInContext, SpanKind } from '@app/kit/tracing'
import type { Tracing } from '@app/kit/tracing'
import type { OutgoingMessage, Provider, SendOutcome } from './provider.ts'

interface Sending {
  id: string
  template: string
  attempts: number
  traceparent: string | null
}

/**
 * The provider call as a client span in the trace the delivery was queued in
 * (its stored `traceparent`). Neither the destination nor the provider's
 * error text is recorded: both may name the recipient.
 */
export function sendInSpan (tracing: Tracing | undefined, provider: Provider, message: OutgoingMessage, delivery: Sending): Promise<SendOutcome> {
  if (!tracing?.enabled) return provider.send(message, delivery.id)
  return tracing.span(`send ${message.channel} ${provider.name}`, {
    kind: SpanKind.CLIENT,
    parent: contextFrom(delivery.traceparent ? { traceparent: delivery.traceparent } : undefined),
    attributes: {
      'notification.channel': message.channel,
      'notification.provider': provider.name,
      'notification.template': delivery.template,
      'notification.delivery_id': delivery.id,
      'notification.attempt': delivery.attempts
    }
  }, async (span) => {
    const outcome = await provider.send(message, delivery.id)
    span.setAttribute('notification.outcome', outcome.ok ? 'sent' : outcome.retryable ? 'retryable' : 'permanent')
    if (!outcome.ok) recordFailure(span, new Error(outcome.retryable ? 'send failed, to be retried' : 'send failed permanently'))
    return outcome
  })
}

/** Runs `work` in the trace the delivery was queued in (tracing off: as it is). */
export function inDeliveryTrace<T> (tracing: Tracing | undefined, delivery: Pick<Sending, 'traceparent'>, work: () => Promise<T>): Promise<T> {
  if (!tracing?.enabled || !delivery.traceparent) return work()
  return runInContext(contextFrom({ traceparent: delivery.traceparent }), work)
}
