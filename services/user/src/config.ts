import { Type } from '@sinclair/typebox'

export const UserConfigSchema = Type.Object({
  USER_ARGON2_MEMORY_KIB: Type.Integer({ default: 19456, minimum: 8, description: 'argon2id memory cost in KiB (OWASP: 19456)' }),
  USER_ARGON2_TIME_COST: Type.Integer({ default: 2, minimum: 1, description: 'argon2id iterations (OWASP: 2)' }),
  USER_ARGON2_PARALLELISM: Type.Integer({ default: 1, minimum: 1, maximum: 16, description: 'argon2id lanes' })
})
