import { readFileSync } from 'node:fs'
import { before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createPolicyMatcher, segmentsOf } from '../../services/gateway/src/policy-matcher.ts'
import { GATEWAY_ROUTE_POLICIES, SERVICE_ROUTE_POLICIES } from '../../services/gateway/src/route-policies.ts'
import type { RoutePolicy } from '../../services/gateway/src/route-policies.ts'
import { ROUTE_TABLE } from '../../services/gateway/src/routes.ts'
import { collectServiceRoutes } from './service-routes.ts'
import type { ServedRoute } from './service-routes.ts'

const describeRoute = (r: ServedRoute) => `${r.method} ${r.url} (${r.service})`

/** HEAD routes Fastify adds beside each GET follow the GET's policy: listed once. */
function withoutImplicitHead (routes: ServedRoute[]): ServedRoute[] {
  const gets = new Set(routes.filter(r => r.method === 'GET').map(r => `${r.service} ${r.url}`))
  return routes.filter(r => r.method !== 'HEAD' || !gets.has(`${r.service} ${r.url}`))
}

const underPrefix = (url: string) => ROUTE_TABLE.some(e => url === e.prefix || url.startsWith(`${e.prefix}/`))

describe('the route policy table', () => {
  let served: ServedRoute[]
  let gatewayServed: ServedRoute[]

  before(async () => {
    const all = await collectServiceRoutes()
    served = withoutImplicitHead(all.filter(r => r.service !== 'gateway'))
    // The gateway's own routes, not its proxies (one per prefix, ending in `*`).
    // The CORS preflight (`OPTIONS *`, registered with CORS, on by default in development) stays unclassified by design (routing.ts).
    gatewayServed = all.filter(r => r.service === 'gateway' && !ROUTE_TABLE.some(e => r.url === e.prefix || r.url === `${e.prefix}/*`) &&
      !(r.method === 'OPTIONS' && r.url === '*'))
  })

  it('names every route every service serves, and each public one sits under a prefix of the route table', () => {
    assert.ok(served.length > 50, `only ${served.length} routes were collected`)
    const matcher = createPolicyMatcher(SERVICE_ROUTE_POLICIES)
    const missing = served.filter(r => !matcher.match(r.method, segmentsOf(r.url))).map(describeRoute)
    assert.deepEqual(missing, [], 'these routes have no entry in SERVICE_ROUTE_POLICIES (services/gateway/src/route-policies.ts)')
    const unreachable = served.filter(r => matcher.match(r.method, segmentsOf(r.url))!.policy !== 'internal' && !underPrefix(r.url)).map(describeRoute)
    assert.deepEqual(unreachable, [], 'these routes have a policy but no prefix in ROUTE_TABLE routes them')
    const internal = served.filter(r => r.url.startsWith('/internal/'))
    assert.ok(internal.length > 0 && internal.every(r => matcher.match(r.method, segmentsOf(r.url))!.policy === 'internal'))
  })

  it('names no route that nobody serves (a stale entry)', () => {
    const servedBy = (policy: RoutePolicy, routes: ServedRoute[]) => {
      const alone = createPolicyMatcher([policy])
      return routes.some(r => alone.match(r.method, segmentsOf(r.url)) !== undefined)
    }
    const stale = SERVICE_ROUTE_POLICIES.filter(p => !servedBy(p, served)).map(p => `${p.method} ${p.pattern}`)
    assert.deepEqual(stale, [], 'these SERVICE_ROUTE_POLICIES entries match no route a service serves')
    const staleOwn = GATEWAY_ROUTE_POLICIES.filter(p => !servedBy(p, gatewayServed)).map(p => `${p.method} ${p.pattern}`)
    assert.deepEqual(staleOwn, [], 'these GATEWAY_ROUTE_POLICIES entries match no route the gateway serves')
  })

  it('is the table docs/gateway.md shows', () => {
    const doc = readFileSync(new URL('../../docs/gateway.md', import.meta.url), 'utf8')
    const rows = [...doc.matchAll(/^\| `(\S+) (\S+)` \| (\w+) \| (\w+) \|/gm)].map(m => `${m[1]} ${m[2]} ${m[3]} ${m[4]}`)
    const table = [...SERVICE_ROUTE_POLICIES, ...GATEWAY_ROUTE_POLICIES].map(p => `${p.method} ${p.pattern} ${p.policy} ${p.group}`)
    assert.deepEqual(rows, table, 'docs/gateway.md lists the policies of services/gateway/src/route-policies.ts in its order')
  })

  it('names every route the gateway serves itself', () => {
    const matcher = createPolicyMatcher(GATEWAY_ROUTE_POLICIES)
    const missing = withoutImplicitHead(gatewayServed).filter(r => !matcher.match(r.method, segmentsOf(r.url))).map(describeRoute)
    assert.deepEqual(missing, [], 'these gateway routes have no entry in GATEWAY_ROUTE_POLICIES')
  })
})
