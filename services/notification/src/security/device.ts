import { isIP } from 'node:net'

// Order matters: Edge and Opera also say "Chrome", Chrome also says "Safari", iOS also says "Mac OS X".
const BROWSERS: Array<[RegExp, string]> = [
  [/\bEdg(e|A|iOS)?\//, 'Edge'],
  [/\b(OPR|Opera)\//, 'Opera'],
  [/\bSamsungBrowser\//, 'Samsung Internet'],
  [/\b(Firefox|FxiOS)\//, 'Firefox'],
  [/\b(Chrome|CriOS|Chromium)\//, 'Chrome'],
  [/\bVersion\/[\d.]+.*\bSafari\//, 'Safari'],
  [/\bcurl\//, 'curl']
]

const SYSTEMS: Array<[RegExp, string]> = [
  [/\biPhone\b/, 'iPhone'],
  [/\biPad\b/, 'iPad'],
  [/\bAndroid\b/, 'Android'],
  [/\bWindows\b/, 'Windows'],
  [/\bCrOS\b/, 'ChromeOS'],
  [/\b(Macintosh|Mac OS X)\b/, 'macOS'],
  [/\bLinux\b/, 'Linux']
]

export interface Device {
  browser?: string | undefined
  os?: string | undefined
}

/**
 * A short name for a user agent ("Firefox", "Windows"), or nothing. Only
 * names from the lists above come out: the header is the client's to
 * write, and its text must never reach a message (a link or a phone
 * number in a User-Agent would turn a security message into phishing).
 */
export function summariseUserAgent (userAgent: string | undefined): Device {
  if (!userAgent) return {}
  const ua = userAgent.slice(0, 512)
  return {
    browser: BROWSERS.find(([pattern]) => pattern.test(ua))?.[1],
    os: SYSTEMS.find(([pattern]) => pattern.test(ua))?.[1]
  }
}

/** The address when it is an IP address, else nothing (the same reason as above). */
export const plainIp = (ip: string | undefined): string | undefined => (ip && isIP(ip) ? ip : undefined)
