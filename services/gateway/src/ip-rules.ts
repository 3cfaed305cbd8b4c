import { BlockList, isIPv4, isIPv6 } from 'node:net'
import { ConfigError } from '@app/kit/config'
import type { RouteGroup } from './routes.ts'

const VARIABLE = 'GATEWAY_IP_RULES'
const GROUPS: ReadonlySet<string> = new Set<RouteGroup>(['sensitive', 'account', 'admin', 'api', 'rpc', 'docs', 'dev', 'pages'])

interface GroupRule {
  /** When set, only these addresses may use the group. */
  allow: BlockList | undefined
  deny: BlockList | undefined
}

/** `10.1.2.3` for `::ffff:10.1.2.3`: a dual-stack socket reports IPv4 peers so. */
function plainAddress (ip: string): string {
  return ip.startsWith('::ffff:') && isIPv4(ip.slice(7)) ? ip.slice(7) : ip
}

function addRange (list: BlockList, range: string): boolean {
  const [address = '', bits, ...extra] = range.split('/')
  const family = isIPv4(address) ? 'ipv4' : isIPv6(address) ? 'ipv6' : undefined
  if (!family || extra.length > 0) return false
  if (bits === undefined) {
    list.addAddress(address, family)
    return true
  }
  const prefix = /^\d{1,3}$/.test(bits) ? Number(bits) : NaN
  if (!(prefix <= (family === 'ipv4' ? 32 : 128))) return false
  list.addSubnet(address, prefix, family)
  return true
}

/**
 * GATEWAY_IP_RULES, `group=allow:cidr,cidr;group=deny:cidr`: per route group,
 * the only client addresses allowed and/or the ones refused. Every problem
 * in one ConfigError naming the variable.
 */
export function parseIpRules (value: string): Map<RouteGroup, GroupRule> {
  const rules = new Map<RouteGroup, GroupRule>()
  const problems: string[] = []
  for (const part of value.split(';').map(p => p.trim()).filter(Boolean)) {
    const match = /^([a-z]+)\s*=\s*(allow|deny)\s*:(.*)$/.exec(part)
    if (!match) {
      problems.push(`${VARIABLE}: "${part}" must be <group>=allow:<cidr>,... or <group>=deny:<cidr>,...`)
      continue
    }
    const [, group = '', kind = '', list = ''] = match
    if (!GROUPS.has(group)) {
      problems.push(`${VARIABLE}: "${group}" is no route group (${[...GROUPS].join(', ')})`)
      continue
    }
    const rule = rules.get(group as RouteGroup) ?? { allow: undefined, deny: undefined }
    if (rule[kind as 'allow' | 'deny']) problems.push(`${VARIABLE}: ${group}=${kind} is given twice`)
    const blocks = new BlockList()
    const ranges = list.split(',').map(r => r.trim()).filter(Boolean)
    if (ranges.length === 0) problems.push(`${VARIABLE}: ${group}=${kind} lists no address`)
    for (const range of ranges) {
      if (!addRange(blocks, range)) problems.push(`${VARIABLE}: "${range}" (${group}) is not an IP address or CIDR range`)
    }
    rule[kind as 'allow' | 'deny'] = blocks
    rules.set(group as RouteGroup, rule)
  }
  if (problems.length > 0) throw new ConfigError(problems)
  return rules
}

/** Whether a client address may use a route group: outside an allow list or inside a deny list, it may not. */
export function createIpCheck (rules: ReadonlyMap<RouteGroup, GroupRule>) {
  return (group: RouteGroup, ip: string): boolean => {
    const rule = rules.get(group)
    if (!rule) return true
    const address = plainAddress(ip)
    const family = isIPv4(address) ? 'ipv4' : isIPv6(address) ? 'ipv6' : undefined
    // An address that is no IP (a unix socket) is in no list: it passes a deny list and fails an allow list.
    const within = (list: BlockList) => family !== undefined && list.check(address, family)
    if (rule.allow && !within(rule.allow)) return false
    return !(rule.deny && within(rule.deny))
  }
}

export type IpCheck = ReturnType<typeof createIpCheck>
