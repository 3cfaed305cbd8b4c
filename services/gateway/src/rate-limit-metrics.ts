import { Counter } from 'prom-client'
import { boundChildren } from '@app/kit/metrics'
import type { Registry } from 'prom-client'
import type { RouteGroup } from './routes.ts'

/** Which limit refused: the route group's own bucket, the per-IP one, the global one or the per-user one. */
export type RefusingLimit = 'group' | 'ip' | 'global' | 'user'

/** 429s by route group and the limit that refused; counted only when one is refused, nothing on allowed requests. */
export function rateLimitRejections (registry: Registry): (group: RouteGroup, limit: RefusingLimit) => void {
  const rejections = new Counter({
    name: 'gatehouse_rate_limit_rejections_total',
    help: 'Requests the gateway refused with 429, by route group and the limit that refused (group, ip, global, user)',
    labelNames: ['group', 'limit'] as const,
    registers: [registry]
  })
  const by = boundChildren(rejections)
  return (group, limit) => by(group, limit).inc()
}
