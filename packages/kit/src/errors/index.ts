export { AppError, isAppError, hasErrorCode, defineErrors, registeredErrorCodes } from './app-error.ts'
export type { AppErrorOptions, ErrorDefinition, ErrorCatalogue, ErrorFactory, FieldError } from './app-error.ts'
export { KitErrors } from './kit-errors.ts'
export { asOutage, isBackendOutage, OUTAGE_RETRY_AFTER_SECONDS } from './backend-outage.ts'
