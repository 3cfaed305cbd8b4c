import { Type } from '@sinclair/typebox'
import type { App } from '@app/kit/http'
import { problemResponses, StrictObject } from '@app/kit/http'
import { publicUser } from '../domain/user.ts'
import type { EmailAccounts } from '../email-accounts.ts'

const FindOrCreateBodySchema = StrictObject({
  email: Type.String({ minLength: 3, maxLength: 320, description: 'an email address the caller has proven; trimmed, domain lower-cased' }),
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'the name of a created account' })),
  create: Type.Boolean({ description: 'create an account without a password when no user has the email' })
})

/** Service-to-service: the kit refuses it without the service credential. */
export function emailAccountRoutes (app: App, accounts: EmailAccounts): void {
  app.post('/internal/users/find-or-create-by-email', {
    schema: {
      tags: ['internal'],
      security: [{ serviceToken: [] }],
      summary: 'The account of an email just proven by the caller: found, or created without a password',
      description: 'Magic links and identity providers. The email counts as verified: an existing account\'s unverified email is ' +
        'marked verified and the account claimed by whoever proved it (`claimed: true`): its password is cleared and ' +
        '`user.email_verified` says `claimed: true`, so the caller ends its sessions, two-step login and passkeys. A created account emits `user.registered` (welcome message, no verification link) ' +
        'and `user.email_verified`. With `create: false` and no user: 404 `user_not_found`. Safe to repeat.',
      body: FindOrCreateBodySchema,
      response: {
        200: Type.Object({
          user: Type.Ref('User'),
          created: Type.Boolean({ description: 'true when this call made the account' }),
          claimed: Type.Boolean({ description: 'true when this call verified an existing account\'s email and took the account over: password cleared, the caller ends its sessions' })
        }),
        ...problemResponses(400, 401, 404)
      }
    }
  }, async (request) => {
    const { user, created, claimed } = await accounts.findOrCreate(request.body)
    return { user: publicUser(user), created, claimed }
  })
}
