export interface ErrorDefinition {
  status: number
  message: string
}

export interface FieldError {
  /** JSON pointer to the offending input, e.g. `/body/email`. */
  path: string
  message: string
}

export interface AppErrorOptions {
  detail?: string
  errors?: FieldError[]
  headers?: Record<string, string>
  /** Extra public members of the problem body (e.g. `attemptsLeft`). */
  extra?: Record<string, unknown>
  cause?: unknown
}

/** The one error type services throw; the http error handler maps it to problem+json. */
export class AppError extends Error {
  readonly code: string
  readonly status: number
  readonly detail: string
  readonly errors: FieldError[] | undefined
  readonly headers: Record<string, string> | undefined
  readonly extra: Record<string, unknown> | undefined

  constructor (code: string, status: number, title: string, options: AppErrorOptions = {}) {
    super(title, { cause: options.cause })
    this.name = 'AppError'
    this.code = code
    this.status = status
    this.detail = options.detail ?? title
    this.errors = options.errors
    this.headers = options.headers
    this.extra = options.extra
  }
}

export function isAppError (err: unknown): err is AppError {
  return err instanceof AppError
}

/** True when `err` is an AppError with one of these codes (another service's answer, say). */
export function hasErrorCode (err: unknown, ...codes: string[]): err is AppError {
  return err instanceof AppError && codes.includes(err.code)
}

export type ErrorFactory = (options?: AppErrorOptions | string) => AppError
export type ErrorCatalogue<K extends string> = Record<K, ErrorFactory> & { readonly definitions: Record<K, ErrorDefinition> }

const registry = new Map<string, ErrorDefinition & { owner: string }>()

/**
 * Declares a service's error codes once; the status lives here, never at the throw site.
 * Codes are API: lower_snake, unique across the monorepo, never reused.
 */
export function defineErrors<K extends string> (owner: string, definitions: Record<K, ErrorDefinition>): ErrorCatalogue<K> {
  const factories = {} as Record<K, ErrorFactory>
  for (const code of Object.keys(definitions) as K[]) {
    const def = definitions[code]
    const known = registry.get(code)
    if (known && known.owner !== owner) throw new Error(`error code ${code} is defined by both ${known.owner} and ${owner}`)
    registry.set(code, { ...def, owner })
    factories[code] = (options) => new AppError(code, def.status, def.message,
      typeof options === 'string' ? { detail: options } : options)
  }
  return Object.assign(factories, { definitions })
}

/** Every code defined so far, with its owner; used by the catalogue drift test. */
export function registeredErrorCodes (): ReadonlyMap<string, ErrorDefinition & { owner: string }> {
  return registry
}
