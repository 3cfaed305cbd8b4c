import { Counter, Histogram, boundChildren } from '@app/kit/metrics'
import type { Registry } from '@app/kit/metrics'

/** What the delivery worker reports: labels are the channel (email, sms), the provider's name and the outcome, never the recipient. */
export interface DeliveryMetrics {
  /** A send attempt's outcome: sent, retry (failed, tried again later) or failed (dead: permanent or attempts used up). */
  outcome(channel: string, provider: string, status: 'sent' | 'retry' | 'failed'): void
  /** How long the provider call took. */
  sendSeconds(channel: string, provider: string, seconds: number): void
}

export function deliveryMetrics (registry: Registry): DeliveryMetrics {
  const deliveries = new Counter({
    name: 'gatehouse_deliveries_total',
    help: 'Send attempts by channel, provider and status (sent; retry: failed and tried again; failed: dead)',
    labelNames: ['channel', 'provider', 'status'] as const,
    registers: [registry]
  })
  const seconds = new Histogram({
    name: 'gatehouse_delivery_send_seconds',
    help: 'Time of the provider call (SMTP, Twilio, dev inbox) per send attempt',
    labelNames: ['channel', 'provider'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry]
  })
  // Bound once per channel, provider and status (a handful): no label hashing per send.
  const deliveriesBy = boundChildren(deliveries)
  const secondsBy = boundChildren(seconds)
  return {
    outcome: (channel, provider, status) => deliveriesBy(channel, provider, status).inc(),
    sendSeconds: (channel, provider, s) => secondsBy(channel, provider).observe(s)
  }
}
