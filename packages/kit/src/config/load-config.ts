import { Value } from '@sinclair/typebox/value'
import type { Static, TObject, TSchema } from '@sinclair/typebox'

/** Start-up configuration problem: thrown before `listen`, printed as one line per variable. */
export class ConfigError extends Error {
  readonly problems: string[]
  constructor (problems: string[]) {
    super(`invalid configuration: ${problems.join('; ')}`)
    this.name = 'ConfigError'
    this.problems = problems
  }
}

export type Env = Record<string, string | undefined>

function deepFreeze<T> (value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const child of Object.values(value)) deepFreeze(child)
  }
  return value
}

function describe (schema: TSchema): string {
  if (schema.description) return schema.description
  if (schema.anyOf) return `one of ${schema.anyOf.map((s: TSchema) => JSON.stringify(s.const)).join(', ')}`
  const parts = [String(schema.type ?? 'value')]
  if (schema.minimum !== undefined) parts.push(`>= ${schema.minimum}`)
  if (schema.maximum !== undefined) parts.push(`<= ${schema.maximum}`)
  if (schema.minLength !== undefined) parts.push(`at least ${schema.minLength} characters`)
  return parts.join(' ')
}

/**
 * Reads the variables a schema names from `env`: empty strings count as unset,
 * strings are coerced to the schema's types, defaults applied, every problem
 * reported at once, and the result deeply frozen.
 */
export function loadConfig<S extends TObject> (schema: S, env: Env): Static<S> {
  const raw: Record<string, unknown> = {}
  for (const key of Object.keys(schema.properties)) {
    const value = env[key]
    if (value !== undefined && value !== '') raw[key] = value
  }
  const converted = Value.Convert(schema, Value.Default(schema, raw))
  const problems: string[] = []
  const seen = new Set<string>()
  for (const error of Value.Errors(schema, converted)) {
    const key = error.path.split('/')[1] ?? error.path
    if (seen.has(key)) continue
    seen.add(key)
    const property = schema.properties[key]
    const expected = property ? describe(property) : error.message
    problems.push(key in raw
      ? `${key} must be ${expected}, got ${JSON.stringify(raw[key])}`
      : `${key} is required: ${expected}`)
  }
  if (problems.length > 0) throw new ConfigError(problems)
  return deepFreeze(converted as Static<S>)
}

/** Loads `.env` from the working directory into `process.env` when it exists; real variables win. */
export function loadDotEnv (path = '.env'): void {
  try {
    process.loadEnvFile(path)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
  }
}
