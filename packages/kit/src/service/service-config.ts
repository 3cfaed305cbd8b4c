import { Type } from '@sinclair/typebox'
import type { Static, TObject } from '@sinclair/typebox'
import { BaseConfigSchema, ConfigError, loadConfig } from '../config/index.ts'
import type { BaseConfig, Env } from '../config/index.ts'
import { keyringProblems } from '../keys/index.ts'
import type { ServiceDefinition } from './define-service.ts'

/** Rules across variables; they read the raw environment so they are reported even when other variables are invalid. */
function crossFieldProblems (env: Env): string[] {
  const problems: string[] = []
  if (['true', '1'].includes(env.REQUIRE_EXTERNAL_BACKENDS ?? '')) {
    for (const key of ['DATABASE_URL', 'REDIS_URL', 'AMQP_URL'] as const) {
      if (!env[key]) problems.push(`${key} is required when REQUIRE_EXTERNAL_BACKENDS=true`)
    }
  }
  problems.push(...keyringProblems(env))
  return problems
}

/** The service's whole configuration; every problem, of single variables and across them, in one ConfigError. */
export function loadServiceConfig<S extends TObject> (definition: ServiceDefinition<S>, env: Env): BaseConfig & Static<S> {
  const schema = Type.Composite([BaseConfigSchema, definition.configSchema])
  const crossField = crossFieldProblems(env)
  try {
    const config = loadConfig(schema, env) as unknown as BaseConfig & Static<S>
    if (crossField.length > 0) throw new ConfigError(crossField)
    return config
  } catch (err) {
    if (err instanceof ConfigError && !err.problems.every(p => crossField.includes(p))) {
      throw new ConfigError([...err.problems, ...crossField])
    }
    throw err
  }
}
