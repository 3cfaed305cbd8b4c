import type { App } from '@app/kit/http'
import { JwksSchema } from '../schemas.ts'
import type { Keyring } from '../signing-keys.ts'

export function jwksRoutes (app: App, keys: Keyring): void {
  app.get('/.well-known/jwks.json', {
    schema: { tags: ['auth'], summary: 'The public keys that verify access tokens', response: { 200: JwksSchema } }
  }, async (_request, reply) => {
    reply.header('cache-control', 'public, max-age=300')
    return { keys: await keys.publicKeys() }
  })
}
