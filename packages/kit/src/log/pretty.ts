import { createRequire } from 'node:module'
import type { DestinationStream } from 'pino'

/** What decides the log format (read by `main` from the environment and stdout). */
export interface LogFormatInput {
  NODE_ENV?: string | undefined
  /** `true`/`1` or `false`/`0`; unset: follow the terminal. */
  LOG_PRETTY?: string | undefined
  /** Whether stdout is a terminal (a person is reading). */
  isTTY: boolean
}

/**
 * Readable lines for a person at a terminal, JSON for everything else: always
 * JSON in production (collectors parse it), LOG_PRETTY=1 asks for readable
 * lines anywhere else (a `| tee` or an IDE console), LOG_PRETTY=0 for JSON.
 */
export function wantsPrettyLogs ({ NODE_ENV, LOG_PRETTY, isTTY }: LogFormatInput): boolean {
  if (NODE_ENV === 'production') return false
  const asked = LOG_PRETTY?.trim().toLowerCase()
  if (asked === 'true' || asked === '1') return true
  if (asked === 'false' || asked === '0') return false
  return isTTY
}

type Line = Record<string, unknown>

const ACCESS_FIELDS = ['method', 'route', 'url', 'status', 'ms', 'requestId', 'upstream', 'instance']

/**
 * A line made for reading: `[service]` before the message, and an access line
 * folded into one phrase (`GET /api/v1/users/me 200 in 3.1 ms → user`); the
 * JSON form keeps every field.
 */
export function readableLine (line: Line): Line {
  const out: Line = { ...line }
  const service = typeof out.service === 'string' ? out.service : undefined
  delete out.service
  let msg = typeof out.msg === 'string' ? out.msg : ''
  if (msg === 'request' && typeof out.method === 'string') {
    const upstream = typeof out.upstream === 'string' ? ` → ${out.upstream}` : ''
    msg = `${out.method} ${String(out.url)} ${String(out.status)} in ${String(out.ms)} ms${upstream}`
    for (const field of ACCESS_FIELDS) delete out[field]
  }
  out.msg = service ? `[${service}] ${msg}` : msg
  return out
}

/**
 * pino-pretty as a synchronous destination on `out` (stdout), loaded only when
 * asked for: time of day, level in colour when the terminal has them, the
 * message, the other fields on the same line.
 */
export function prettyDestination (out: { write (text: string): unknown } = process.stdout): DestinationStream {
  const { prettyFactory } = createRequire(import.meta.url)('pino-pretty') as typeof import('pino-pretty')
  const format = prettyFactory({
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,version',
    singleLine: true
  })
  return {
    write (text: string) {
      let line: Line
      try {
        line = JSON.parse(text) as Line
      } catch {
        out.write(text)
        return
      }
      out.write(format(readableLine(line)))
    }
  }
}
