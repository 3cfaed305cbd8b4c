import { ConfigError } from '@app/kit/config'
import type { AppError } from '@app/kit/errors'
import { GatewayErrors } from './errors.ts'
import { isPlainPrefix } from './route-config.ts'

const VARIABLE = 'GATEWAY_RETIRED_ROUTES'
const FORMAT = '<prefix>=[<deprecated>/]<sunset>[><successor>], e.g. /api/v0=2027-06-30T00:00:00Z>/api/v1'
// An absolute URL or a path, without anything that would end the Link header's <...>.
const SUCCESSOR = /^(https?:\/\/[^\s<>";,]+|\/[^\s<>";,]*)$/

export interface RetiredRoute {
  prefix: string
  segments: string[]
  deprecated: Date
  sunset: Date
  successor: string | undefined
}

function instant (text: string): Date | undefined {
  // A full ISO 8601 date-time with an offset: a bare date would be read as UTC midnight and a date-time without one as local time.
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/.test(text)) return undefined
  const date = new Date(text)
  return Number.isNaN(date.getTime()) ? undefined : date
}

function parseEntry (part: string): RetiredRoute | string {
  const equals = part.indexOf('=')
  const prefix = part.slice(0, Math.max(equals, 0)).trim()
  const [dates = '', successor, ...extra] = part.slice(equals + 1).split('>').map(s => s.trim())
  const [first = '', second, ...more] = dates.split('/')
  const deprecated = instant(first)
  const sunset = instant(second ?? first)
  if (equals < 0 || !isPlainPrefix(prefix) || !deprecated || !sunset || more.length > 0 || extra.length > 0) return `${VARIABLE}: "${part}" must be ${FORMAT}`
  if (deprecated > sunset) return `${VARIABLE}: ${prefix} is deprecated after its sunset`
  if (successor !== undefined && !SUCCESSOR.test(successor)) return `${VARIABLE}: ${prefix}: the successor must be a path or an http(s) URL`
  return { prefix, segments: prefix.split('/').slice(1), deprecated, sunset, successor }
}

/** GATEWAY_RETIRED_ROUTES, `;`-separated; every problem in one ConfigError. */
export function parseRetiredRoutes (value: string): RetiredRoute[] {
  const parsed = value.split(';').map(p => p.trim()).filter(Boolean).map(parseEntry)
  const problems = parsed.filter(p => typeof p === 'string')
  const routes = parsed.filter(p => typeof p !== 'string')
  routes.forEach((route, i) => { if (routes.findIndex(r => r.prefix === route.prefix) !== i) problems.push(`${VARIABLE}: ${route.prefix} is listed twice`) })
  if (problems.length > 0) throw new ConfigError(problems)
  return routes.sort((a, b) => b.segments.length - a.segments.length)
}

export interface Retirement {
  /** RFC 9745 `Deprecation`, RFC 8594 `Sunset` and the successor `Link`. */
  headers: Record<string, string>
  /** After the sunset: the 410 to answer instead of routing. */
  gone: AppError | undefined
}

/** What the gateway says about a path under a retired prefix, at `now` (epoch ms); undefined for other paths. */
export function createRetirementCheck (routes: readonly RetiredRoute[], now: () => number = Date.now) {
  const headersOf = new Map(routes.map(route => {
    const headers: Record<string, string> = {
      deprecation: `@${Math.floor(route.deprecated.getTime() / 1000)}`,
      sunset: route.sunset.toUTCString()
    }
    if (route.successor) headers.link = `<${route.successor}>; rel="successor-version"`
    return [route, headers]
  }))
  return (segments: readonly string[]): Retirement | undefined => {
    const route = routes.find(r => r.segments.every((s, i) => segments[i] === s))
    if (!route) return undefined
    const headers = headersOf.get(route)!
    const gone = now() >= route.sunset.getTime()
      ? GatewayErrors.route_retired({
        detail: `${route.prefix} was retired on ${route.sunset.toISOString()}${route.successor ? `; use ${route.successor}` : ''}`,
        headers
      })
      : undefined
    return { headers, gone }
  }
}
