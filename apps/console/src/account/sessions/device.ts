// First match wins: Edge and Opera also say Chrome, Chrome also says Safari.
const BROWSERS: Array<[RegExp, string]> = [
  [/Edg(e|A|iOS)?\//, 'Edge'],
  [/OPR\/|Opera/, 'Opera'],
  [/Firefox\/|FxiOS\//, 'Firefox'],
  [/Chrome\/|CriOS\/|Chromium\//, 'Chrome'],
  [/Version\/.*Safari\//, 'Safari'],
  [/^curl\//, 'curl'],
  [/^node$|^undici|node-fetch|axios/i, 'Node.js']
]
const SYSTEMS: Array<[RegExp, string]> = [
  [/iPhone|iPad|iPod/, 'iOS'],
  [/Android/, 'Android'],
  [/Windows/, 'Windows'],
  [/Mac OS X|Macintosh/, 'macOS'],
  [/CrOS/, 'ChromeOS'],
  [/Linux/, 'Linux']
]

const first = (ua: string, table: Array<[RegExp, string]>) => table.find(([pattern]) => pattern.test(ua))?.[1]

/** A User-Agent in words ("Firefox", "Windows"); only what it names that we know. */
export function describeDevice (userAgent: string | null): { browser?: string, system?: string } {
  if (!userAgent) return {}
  const browser = first(userAgent, BROWSERS)
  const system = first(userAgent, SYSTEMS)
  return { ...(browser ? { browser } : {}), ...(system ? { system } : {}) }
}

/** What to draw for it: a phone for a mobile system, a terminal for command-line clients, else a computer. */
export function deviceKind (userAgent: string | null): 'phone' | 'computer' | 'terminal' {
  const { browser, system } = describeDevice(userAgent)
  if (system === 'iOS' || system === 'Android') return 'phone'
  if (browser === 'curl' || browser === 'Node.js') return 'terminal'
  return 'computer'
}
