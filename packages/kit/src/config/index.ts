export { loadConfig, loadDotEnv, ConfigError } from './load-config.ts'
export type { Env } from './load-config.ts'
export { BaseConfigSchema } from './base-config.ts'
export type { BaseConfig } from './base-config.ts'
