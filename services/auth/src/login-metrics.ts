import { Counter, boundChildren } from '@app/kit/metrics'
import type { Registry } from '@app/kit/metrics'
import type { CloudEvent } from '@app/kit/bus'
import type { Queryable, Tx } from '@app/kit/db'
import type { EventEmitter } from '@app/kit/service'

/**
 * Logins by outcome and method, failures by reason, and refresh-token reuse,
 * counted from the events that record them once they commit: every login path
 * (password, phone, second step, passkey, magic link, identity provider) emits
 * them through `ctx.events`, so wrapping it here counts each one, including
 * paths added later. Method and reason are closed sets in the event contracts.
 */
export function countedAuthEvents (events: EventEmitter, registry: Registry): EventEmitter {
  const logins = new Counter({
    name: 'gatehouse_logins_total',
    help: 'Logins by outcome (success, failure) and method (password, phone_otp, mfa, passkey, magic_link, oidc, handoff)',
    labelNames: ['outcome', 'method'] as const,
    registers: [registry]
  })
  const failures = new Counter({
    name: 'gatehouse_login_failures_total',
    help: 'Refused logins (auth.login_failed) by method and reason',
    labelNames: ['method', 'reason'] as const,
    registers: [registry]
  })
  const reuse = new Counter({
    name: 'gatehouse_token_reuse_detections_total',
    help: 'Refresh tokens presented again after their reuse interval: the session was ended (auth.token_reuse_detected)',
    registers: [registry]
  })
  // Bound once per outcome, method and reason (closed sets): no label hashing per login.
  const loginsBy = boundChildren(logins)
  const failuresBy = boundChildren(failures)
  loginsBy('success', 'password').inc(0)
  loginsBy('failure', 'password').inc(0)

  function count (event: CloudEvent): void {
    const data = event.data as { method?: string, reason?: string }
    if (event.type === 'auth.login_succeeded') loginsBy('success', data.method ?? 'unknown').inc()
    else if (event.type === 'auth.login_failed') {
      loginsBy('failure', data.method ?? 'unknown').inc()
      failuresBy(data.method ?? 'unknown', data.reason ?? 'unknown').inc()
    } else if (event.type === 'auth.token_reuse_detected') reuse.inc()
  }
  const counted = (type: string) => type === 'auth.login_succeeded' || type === 'auth.login_failed' || type === 'auth.token_reuse_detected'
  const afterCommit = (q: Queryable, fn: () => void) => { if ('onCommit' in q) (q as Tx).onCommit(fn); else fn() }

  return {
    async emit (tx, type, data, subject, options) {
      const event = await events.emit(tx, type, data, subject, options)
      if (counted(type)) tx.onCommit(() => count(event))
      return event
    },
    async emitWith (q, statement, params, specs) {
      const result = await events.emitWith(q, statement, params, specs)
      const mine = result.events.filter(e => counted(e.type))
      if (mine.length > 0) afterCommit(q, () => { for (const e of mine) count(e) })
      return result
    }
  } as EventEmitter
}
