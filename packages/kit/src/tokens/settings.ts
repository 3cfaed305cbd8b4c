import { Type } from '@sinclair/typebox'
import type { Static } from '@sinclair/typebox'
import { loadConfig } from '../config/index.ts'
import type { Env } from '../config/index.ts'

/**
 * The one setting both ends of an access token read: the auth service signs
 * tokens for this long, and the gateway refuses any that lives longer.
 * Declared once (in the auth service's config); the gateway reads it here.
 */
export const AccessTokenSettingsSchema = Type.Object({
  AUTH_ACCESS_TTL_SECONDS: Type.Integer({ default: 900, minimum: 10, maximum: 31_536_000, description: 'lifetime of an access token' })
})

export type AccessTokenSettings = Static<typeof AccessTokenSettingsSchema>

export function accessTokenSettings (env: Env): AccessTokenSettings {
  return loadConfig(AccessTokenSettingsSchema, env)
}
