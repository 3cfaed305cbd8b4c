import { isIPv4, isIPv6 } from 'node:net'

/** The eight 16-bit groups of an IPv6 address, or undefined when it is not one. */
function groupsOf (address: string): number[] | undefined {
  // A dotted IPv4 tail (`::ffff:192.0.2.1`) is two groups.
  const text = address.replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_m, a: string, b: string, c: string, d: string) =>
    `${((Number(a) << 8) | Number(b)).toString(16)}:${((Number(c) << 8) | Number(d)).toString(16)}`)
  const halves = text.split('::')
  if (halves.length > 2) return undefined
  const parse = (part: string) => (part === '' ? [] : part.split(':').map(h => Number.parseInt(h, 16)))
  const head = parse(halves[0] ?? '')
  const tail = halves.length === 2 ? parse(halves[1] ?? '') : []
  const missing = 8 - head.length - tail.length
  if (missing < 0 || (halves.length === 1 && missing !== 0)) return undefined
  const groups = [...head, ...new Array<number>(missing).fill(0), ...tail]
  return groups.every(g => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : undefined
}

/**
 * The network a client address stands for when counting failures and remembering
 * where an account logged in from: an IPv4 address itself, an IPv6 address's /64
 * (one subscriber's prefix: its devices pick new addresses in it at will, so a
 * single address would give an attacker endless fresh counters and would forget
 * the owner's phone within a day). IPv4-mapped IPv6 is the IPv4 address.
 */
export function clientNetwork (ip: string): string {
  const address = ip.trim().replace(/%.*$/, '')
  if (isIPv4(address)) return address
  if (!isIPv6(address)) return address.toLowerCase()
  const groups = groupsOf(address.toLowerCase())
  if (!groups) return address.toLowerCase()
  if (groups.slice(0, 5).every(g => g === 0) && groups[5] === 0xffff) {
    return [groups[6]! >> 8, groups[6]! & 0xff, groups[7]! >> 8, groups[7]! & 0xff].join('.')
  }
  return `${groups.slice(0, 4).map(g => g.toString(16)).join(':')}::/64`
}
