import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { ConfigError } from '@app/kit/config'
import { parseRoutes, routeTableWith } from '../src/route-config.ts'
import { createRouteResolver, isMiss, pathSegments } from '../src/route-resolver.ts'
import type { ResolvedRoute } from '../src/routes.ts'
import { ROUTE_TABLE } from '../src/routes.ts'

const resolve = createRouteResolver(ROUTE_TABLE)

function route (method: string, url: string, resolver = resolve): ResolvedRoute {
  const resolved = resolver(method, url)
  assert.ok(!isMiss(resolved), `${method} ${url} resolved to ${JSON.stringify(resolved)}`)
  return resolved
}

const miss = (method: string, url: string, resolver = resolve) => {
  const resolved = resolver(method, url)
  return isMiss(resolved) ? resolved.miss : undefined
}

describe('route resolution', () => {
  it('labels each request with its route pattern, policy and group: a static segment wins over a parameter', () => {
    assert.deepEqual(
      (({ pattern, policy, group }) => ({ pattern, policy, group }))(route('GET', '/api/v1/users/0c4a1b3e-5d5f-4b7a-9a57-2f7a0f2e9c11?x=1')),
      { pattern: '/api/v1/users/:id', policy: 'authenticated', group: 'api' })
    assert.equal(route('GET', '/api/v1/users/me').pattern, '/api/v1/users/me')
    assert.equal(route('GET', '/api/v1/users/me/').pattern, '/api/v1/users/me', 'a trailing slash is ignored, as the services ignore it')
    assert.equal(route('DELETE', '/api/v1/users/42').policy, 'admin')
    assert.equal(route('DELETE', '/api/v1/users/me').policy, 'authenticated')
    assert.equal(route('GET', '/api/v1/users').policy, 'admin')
    assert.equal(route('POST', '/api/v1/auth/login').group, 'sensitive')
    assert.equal(route('HEAD', '/api/v1/orders/7').policy, 'authenticated', 'HEAD follows GET')
    assert.equal(route('POST', '/rpc/auth.v1.AuthService/ValidatePhoneNumberLogin').group, 'sensitive')
    assert.equal(route('POST', '/rpc/auth.v1.AuthService/GetProfile').policy, 'authenticated')
    assert.equal(route('GET', '/api/v1/users/%6De').pattern, '/api/v1/users/me', 'percent-encoding is decoded, as the services decode it')
    assert.equal(route('GET', '/api/v1/users/me').entry.upstream, 'user')
  })

  it('names the gateway\'s own routes, and leaves the rest of the unrouted paths a miss', () => {
    assert.deepEqual((({ pattern, policy, entry }) => ({ pattern, policy, upstream: entry.upstream }))(route('GET', '/api/v1/me/overview')),
      { pattern: '/api/v1/me/overview', policy: 'authenticated', upstream: 'gateway' })
    assert.equal(route('GET', '/docs/static/index.html').pattern, '/docs/*')
    assert.equal(miss('GET', '/healthz'), 'not_found')
  })

  it('misses internal paths, unknown API versions, routes no policy names and paths a proxy could read otherwise', () => {
    assert.equal(miss('POST', '/internal/audit/events'), 'internal')
    assert.equal(miss('GET', '/internal'), 'internal')
    assert.equal(miss('GET', '/%69nternal/users/lookup'), 'internal')
    assert.equal(miss('GET', '/api/v9/users/me'), 'unknown_version')
    assert.equal(miss('GET', '/api/v1/users/me/secrets'), 'no_policy')
    assert.equal(miss('POST', '/api/v1/users/me'), 'no_policy', 'a method the route does not serve')
    assert.equal(miss('GET', '/api/v1/nowhere'), 'not_found')
    for (const url of ['/api/v1/orders/../users/register', '/api/v1/users/%2e%2e/x', '//api/v1/users/me', '/api/v1/users/a%2Fb',
      '/api/v1/users/%zz', '/api/v1/users/.', '/api/v1/users\\me', '/api/v1/%75sers/me', '/rpc/auth.v1.AuthService%2FGetProfile',
      // Fastify's router ends the path at a `#`: the gateway would judge one path and route another.
      '/api/v1/users#/x', '/api/v1/users/me#', '/healthz#', '/api/v1/users?x=1#y']) {
      assert.equal(miss('GET', url), 'ambiguous_path', url)
    }
    assert.deepEqual(pathSegments('/'), [''])
  })

  it('routes a configured prefix to its upstream, judged by the policy of the path the upstream receives', () => {
    const table = routeTableWith(parseRoutes(JSON.stringify([
      { prefix: '/api/v2/users', upstream: 'user-v2', service: 'user' },
      { prefix: '/api/v2/orders', upstream: 'order', rewritePrefix: '/api/v1/orders' },
      { prefix: '/api/v2/root', upstream: 'user', rewritePrefix: '/' }
    ])), new Set(['user', 'order', 'user-v2']))
    const versioned = createRouteResolver(table)
    const v2 = route('GET', '/api/v2/users/me', versioned)
    assert.deepEqual({ upstream: v2.entry.upstream, pattern: v2.pattern, policy: v2.policy }, { upstream: 'user-v2', pattern: '/api/v2/users/me', policy: 'authenticated' })
    assert.equal(route('GET', '/api/v2/users', versioned).policy, 'admin', 'a v2 route the table does not name keeps the policy of the same v1 route')
    // Through a v1 `:id` it could be a route v2 added (an export for admins): no policy is guessed.
    assert.equal(miss('GET', '/api/v2/users/export', versioned), 'no_policy')
    assert.equal(miss('GET', '/api/v2/users/42', versioned), 'no_policy')
    assert.equal(route('GET', '/api/v2/orders/9', versioned).pattern, '/api/v2/orders/:id', 'a rewrite to v1 is judged by its v1 route')
    assert.equal(route('GET', '/api/v1/users/me', versioned).entry.upstream, 'user')
    assert.equal(miss('GET', '/api/v2/root/internal/users/lookup', versioned), 'internal', 'a rewrite into /internal is never routed')
    assert.equal(miss('GET', '/api/v3/users', versioned), 'unknown_version')
  })

  it('refuses bad GATEWAY_ROUTES at start-up, naming the variable and every problem', () => {
    const problems = (value: string, upstreams = ['user']) => {
      try {
        routeTableWith(parseRoutes(value), new Set(upstreams))
      } catch (err) {
        assert.ok(err instanceof ConfigError)
        return err.problems
      }
      assert.fail(`${value} was accepted`)
    }
    assert.match(problems('[{')[0]!, /^GATEWAY_ROUTES: not valid JSON/)
    assert.match(problems('{}')[0]!, /^GATEWAY_ROUTES: must be a JSON list/)
    const many = problems(JSON.stringify([{ prefix: '/api/v2/users/', upstream: 'user' }, { prefix: '/internal/x', upstream: '' }, { prefix: '/a', upstream: 'user', extra: 1 }, { prefix: '/a/../b', upstream: 'user', rewritePrefix: 'x' }]))
    assert.equal(many.length, 6, many.join('\n'))
    for (const rewritePrefix of ['/internal', '/internal/users']) {
      assert.deepEqual(problems(JSON.stringify([{ prefix: '/api/v2/leak', upstream: 'user', rewritePrefix }])),
        [`GATEWAY_ROUTES: [0].rewritePrefix ${rewritePrefix}: /internal/* is never routed`])
    }
    assert.deepEqual(parseRoutes(JSON.stringify([{ prefix: '/api/v2/x', upstream: 'user', rewritePrefix: '/internals' }]))[0]?.rewritePrefix, '/internals')
    assert.ok(many.every(p => p.startsWith('GATEWAY_ROUTES: ')))
    assert.match(problems('[{"prefix":"/api/v2/users","upstream":"nope","service":"user"}]')[0]!, /"nope", which is no service nor upstream of GATEWAY_UPSTREAM_URLS/)
    assert.match(problems('[{"prefix":"/a","upstream":"user"},{"prefix":"/a","upstream":"user"}]')[0]!, /listed twice/)
    assert.match(problems('[{"prefix":"/api/v2/users","upstream":"user-v2"}]', ['user', 'user-v2'])[0]!,
      /^GATEWAY_ROUTES: \[0\]\.service must name the service that upstream runs/, 'an extra pool needs the service it runs named')
    assert.match(problems('[{"prefix":"/api/v2/users","upstream":"user","service":"gateway"}]')[0]!, /\.service must name/)
  })
})
