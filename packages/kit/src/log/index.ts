export { createLogger, loggerOptions, REDACT_PATHS } from './logger.ts'
export type { Logger } from './logger.ts'
export { redactUrl, redactUrlsIn } from './redact-url.ts'
export { isSecretName, redactError, redactFields } from './redact-fields.ts'
