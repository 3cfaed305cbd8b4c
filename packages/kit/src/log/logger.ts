import pino from 'pino'
import type { Logger, LoggerOptions } from 'pino'
import { redactFields } from './redact-fields.ts'
import { redactUrl, redactUrlsIn } from './redact-url.ts'

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

export function loggerOptions (level: string, name?: string): LoggerOptions {
  return {
    level,
    ...(name ? { name } : {}),
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    // A request logged whole (Fastify's own lines) shows its method and path, never its query or headers.
    serializers: { req: (req: RequestLike) => ({ method: req.method, url: typeof req.url === 'string' ? redactUrl(req.url) : undefined }) },
    formatters: {
      level: (label) => ({ level: label }),
      log: (object) => redactFields(object) as Record<string, unknown>
    },
    hooks: {
      // The message text too: `Route GET:/reset?token=... not found` keeps only the path.
      logMethod (args, method) {
        method.apply(this, args.map(arg => typeof arg === 'string' ? redactUrlsIn(arg) : arg) as Parameters<typeof method>)
      }
    }
  }
}

export function createLogger (level = 'info', name?: string, destination?: pino.DestinationStream): Logger {
  return destination ? pino(loggerOptions(level, name), destination) : pino(loggerOptions(level, name))
}
