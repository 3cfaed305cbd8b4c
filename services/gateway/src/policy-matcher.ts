import type { RoutePolicy } from './route-policies.ts'

interface Node {
  statics: Map<string, Node>
  param: Node | undefined
  /** Rules of a pattern ending in `*` here, by method. */
  rest: Map<string, RoutePolicy>
  /** Rules of a pattern ending here, by method. */
  rules: Map<string, RoutePolicy>
}

const node = (): Node => ({ statics: new Map(), param: undefined, rest: new Map(), rules: new Map() })

export const segmentsOf = (path: string): string[] => path.split('/').slice(1)

function byMethod (rules: Map<string, RoutePolicy>, method: string): RoutePolicy | undefined {
  return rules.get(method) ?? (method === 'HEAD' ? rules.get('GET') : undefined) ?? rules.get('*')
}

/**
 * Finds the policy of a method and path as the services' router (find-my-way)
 * would pick the route: per method, a static segment before a `:param`, a
 * `:param` before a final `*`.
 */
export function createPolicyMatcher (policies: readonly RoutePolicy[]) {
  const root = node()
  for (const policy of policies) {
    let at = root
    const segments = segmentsOf(policy.pattern)
    const wildcard = segments.at(-1) === '*'
    for (const segment of wildcard ? segments.slice(0, -1) : segments) {
      if (segment.startsWith(':')) {
        at = at.param ??= node()
      } else {
        let next = at.statics.get(segment)
        if (!next) at.statics.set(segment, next = node())
        at = next
      }
    }
    const rules = wildcard ? at.rest : at.rules
    if (rules.has(policy.method)) throw new Error(`route policy ${policy.method} ${policy.pattern} is listed twice`)
    rules.set(policy.method, policy)
  }

  const find = (at: Node, segments: readonly string[], i: number, method: string): RoutePolicy | undefined => {
    if (i === segments.length) return byMethod(at.rules, method) ?? byMethod(at.rest, method)
    const segment = segments[i]!
    const viaStatic = at.statics.get(segment)
    const found = (viaStatic && find(viaStatic, segments, i + 1, method)) ||
      (at.param && segment !== '' && find(at.param, segments, i + 1, method))
    return found || byMethod(at.rest, method)
  }

  return {
    /** The policy of `method` on these path segments (decoded, without the leading empty one), if any. */
    match: (method: string, segments: readonly string[]): RoutePolicy | undefined => find(root, segments, 0, method)
  }
}

export type PolicyMatcher = ReturnType<typeof createPolicyMatcher>
