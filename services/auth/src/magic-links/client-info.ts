import { isIPv4, isIPv6 } from 'node:net'

const BROWSERS: Array<[RegExp, string]> = [
  [/\bEdg(e|A|iOS)?\//, 'Edge'],
  [/\b(OPR|Opera)\//, 'Opera'],
  [/\bFirefox\/|\bFxiOS\//, 'Firefox'],
  [/\bChrom(e|ium)\/|\bCriOS\//, 'Chrome'],
  [/\bSafari\//, 'Safari'],
  [/^curl\//, 'curl']
]
const SYSTEMS: Array<[RegExp, string]> = [
  [/\b(iPhone|iPad|iPod)\b/, 'iOS'],
  [/\bAndroid\b/, 'Android'],
  [/\bCrOS\b/, 'ChromeOS'],
  [/\bMac OS X\b|\bMacintosh\b/, 'macOS'],
  [/\bWindows\b/, 'Windows'],
  [/\bLinux\b/, 'Linux']
]

/**
 * A user agent as a person recognises it, and no finer: "Firefox on Linux". Shown on the
 * page of a link opened in another browser, so the owner can tell whether the request was theirs.
 */
export function describeAgent (userAgent: string | undefined): string {
  const ua = (userAgent ?? '').slice(0, 512)
  const browser = BROWSERS.find(([re]) => re.test(ua))?.[1]
  const system = SYSTEMS.find(([re]) => re.test(ua))?.[1]
  if (browser && system) return `${browser} on ${system}`
  return browser ?? (system ? `a browser on ${system}` : 'an unknown browser')
}

/** The client's network, coarse enough to say nothing precise: an IPv4 /24, an IPv6 /48. */
export function coarseNetwork (ip: string): string {
  const address = ip.trim().replace(/^::ffff:(?=\d+\.)/i, '')
  if (isIPv4(address)) return `${address.split('.').slice(0, 3).join('.')}.0/24`
  if (isIPv6(address)) {
    const [head = ''] = address.toLowerCase().split('::')
    const groups = head === '' ? [] : head.split(':')
    // Fewer than three groups before `::`: the rest of the /48 is zeros.
    while (groups.length < 3) groups.push('0')
    return `${groups.slice(0, 3).map(g => g.replace(/^0+(?=.)/, '')).join(':')}::/48`
  }
  return 'an unknown network'
}
