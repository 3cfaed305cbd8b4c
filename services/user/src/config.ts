import { Type } from '@sinclair/typebox'
import type { Static } from '@sinclair/typebox'

export const UserConfigSchema = Type.Object({
  USER_ARGON2_MEMORY_KIB: Type.Integer({ default: 19456, minimum: 8, description: 'argon2id memory cost in KiB (OWASP: 19456)' }),
  USER_ARGON2_TIME_COST: Type.Integer({ default: 2, minimum: 1, description: 'argon2id iterations (OWASP: 2)' }),
  USER_ARGON2_PARALLELISM: Type.Integer({ default: 1, minimum: 1, maximum: 16, description: 'argon2id lanes' }),
  USER_EMAIL_CHANGE_UNDO_URL: Type.String({
    default: 'http://127.0.0.1:8080/api/v1/users/email-change/undo',
    pattern: '^https?://',
    description: 'the page the "undo this email change" link sent to the previous address opens, with `?token=` appended'
  }),
  USER_EMAIL_CHANGE_UNDO_TTL_SECONDS: Type.Integer({ default: 604_800, minimum: 3600, maximum: 2_592_000, description: 'how long the undo link of an email change works (default 7 days)' }),
  ADMIN_EMAIL: Type.Optional(Type.String({ description: 'with ADMIN_PASSWORD: an account that is made an admin at start-up' })),
  // No constraints here: a schema error would echo the value, and this one is a secret. The password policy checks it at start-up.
  ADMIN_PASSWORD: Type.Optional(Type.String({ description: 'with ADMIN_EMAIL: the password of that account when it has to be created' }))
})

export type UserConfig = Static<typeof UserConfigSchema>
