import { Type } from '@sinclair/typebox'
import type { App } from '@app/kit/http'
import { problemResponses } from '@app/kit/http'
import { publicUser } from '../domain/user.ts'
import { RegisterBodySchema } from '../schemas.ts'
import type { UserService } from '../user-service.ts'

export function publicRoutes (app: App, users: UserService): void {
  app.post('/api/v1/users/register', {
    schema: {
      tags: ['users'],
      summary: 'Register with an email and/or a phone number',
      description: 'Emits `user.registered`, which sends a welcome message and an email-verification link.',
      body: RegisterBodySchema,
      response: { 201: Type.Ref('User'), ...problemResponses(400, 409, 413, 415, 429) }
    }
  }, async (request, reply) => {
    const user = await users.register(request.body)
    return reply.code(201).send(publicUser(user))
  })
}
