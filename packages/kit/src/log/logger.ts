import pino from 'pino'
import type { Logger, LoggerOptions } from 'pino'

export type { Logger }

const SECRET_KEYS = ['password', 'newPassword', 'currentPassword', 'passwordHash', 'otp', 'code', 'token',
  'accessToken', 'refreshToken', 'secret', 'authorization', 'cookie', 'set-cookie', 'x-service-token']

/** Redaction paths: each secret key at the top level and up to two levels down, plus request/response headers. */
export const REDACT_PATHS = [
  ...SECRET_KEYS.flatMap(k => [`["${k}"]`, `*["${k}"]`, `*.*["${k}"]`]),
  ...SECRET_KEYS.flatMap(k => [`req.headers["${k}"]`, `res.headers["${k}"]`])
]

export function loggerOptions (level: string, name?: string): LoggerOptions {
  return {
    level,
    ...(name ? { name } : {}),
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) }
  }
}

export function createLogger (level = 'info', name?: string, destination?: pino.DestinationStream): Logger {
  return destination ? pino(loggerOptions(level, name), destination) : pino(loggerOptions(level, name))
}
