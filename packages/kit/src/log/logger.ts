import pino from 'pino'
import type { Logger, LoggerOptions } from 'pino'
import { redactError, redactFields } from './redact-fields.ts'
import { redactUrl, redactUrlsIn } from './redact-url.ts'
import { correlateWhenTracing } from './correlation.ts'

export type { Logger }

const SECRET_KEYS = ['password', 'newPassword', 'currentPassword', 'confirmPassword', 'passwordHash', 'otp', 'code', 'token',
  'accessToken', 'refreshToken', 'secret', 'sealed', 'authorization', 'cookie', 'set-cookie', 'x-service-token', 'x-identity-assertion']

/**
 * Redaction paths: each secret key at the top level and up to two levels down, plus request/response headers.
 * The `log` formatter below redacts by name at any depth; these paths also cover the bindings of child loggers.
 */
export const REDACT_PATHS = [
  ...SECRET_KEYS.flatMap(k => [`["${k}"]`, `*["${k}"]`, `*.*["${k}"]`]),
  ...SECRET_KEYS.flatMap(k => [`req.headers["${k}"]`, `res.headers["${k}"]`])
]

interface RequestLike { method?: string, url?: string, id?: unknown }

/** The message pino would take for a line logged as `log.error(err)` or `log.error({ err })` without a message. */
function errorMessageOf (first: unknown): string | undefined {
  if (first instanceof Error) return first.message
  if (first === null || typeof first !== 'object' || 'msg' in first) return undefined
  const err = (first as { err?: unknown }).err
  return err instanceof Object && typeof (err as { message?: unknown }).message === 'string' ? (err as { message: string }).message : undefined
}

export function loggerOptions (level: string, name?: string): LoggerOptions {
  return {
    level,
    ...(name ? { name } : {}),
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    // No mixin here: `createLogger` adds the correlation fields (requestId, traceId
    // and spanId inside a request or a consumer) only once tracing is on.
    // A request logged whole (Fastify's own lines) shows its method and path, never its query or headers.
    serializers: {
      req: (req: RequestLike) => ({ method: req.method, url: typeof req.url === 'string' ? redactUrl(req.url) : undefined }),
      // An error is not walked by the `log` formatter: its message and stack are redacted here.
      err: (err: unknown) => redactError(err)
    },
    formatters: {
      level: (label) => ({ level: label }),
      log: (object) => redactFields(object) as Record<string, unknown>
    },
    hooks: {
      // The message text too: `Route GET:/reset?token=... not found` keeps only the path.
      logMethod (args, method) {
        const redacted: unknown[] = args.map(arg => typeof arg === 'string' ? redactUrlsIn(arg) : arg)
        // pino takes an error's own message as the line's message when none is given: give the redacted one.
        if (redacted.length === 1) {
          const message = errorMessageOf(redacted[0])
          if (message !== undefined) redacted.push(redactUrlsIn(message))
        }
        method.apply(this, redacted as Parameters<typeof method>)
      }
    }
  }
}

/**
 * The platform's logger. With tracing off in the process its lines pay for no
 * mixin (a request's own lines carry `requestId` from their logger's bindings);
 * once a service's tracing opens, lines written inside a request or a consumer
 * by any logger get `requestId`, `traceId` and `spanId`.
 */
export function createLogger (level = 'info', name?: string, destination?: pino.DestinationStream): Logger {
  return correlateWhenTracing(destination ? pino(loggerOptions(level, name), destination) : pino(loggerOptions(level, name)))
}
