import type { App } from '@app/kit/http'
import { problemResponses } from '@app/kit/http'
import type { EmailVerificationService } from '../email-verification-service.ts'
import { AcceptedSchema, SendBodySchema, VerifiedSchema, VerifyBodySchema } from '../schemas.ts'

const tags = ['email-verification']
const SEND_ANSWER = { message: 'If this address belongs to an account and is not verified yet, a verification link is on its way.' }

export function publicRoutes (app: App, verification: EmailVerificationService): void {
  app.post('/api/v1/email-verification/send', {
    schema: {
      tags,
      summary: 'Send a new verification link to an account\'s email',
      description: 'Always 202 with the same body, whether or not the address belongs to an account. A verified address gets no mail; ' +
        'an account gets at most `EMAIL_VERIFICATION_MAX_PER_HOUR` mails per hour. The new link (valid 24 hours) replaces every earlier one.',
      body: SendBodySchema,
      response: { 202: AcceptedSchema, ...problemResponses(400, 413, 415, 429) }
    }
  }, async (request, reply) => {
    await verification.requestSend({ email: request.body.email })
    return reply.code(202).send(SEND_ANSWER)
  })

  app.post('/api/v1/email-verification/verify', {
    schema: {
      tags,
      summary: 'Verify an email address with the token from the link',
      description: 'Spends the token (single use). Emits `user.email_verified` and `email_verification.verified`. ' +
        '400 `verification_token_invalid` for an unknown, expired, used or replaced token; 400 `verification_email_changed` when the account\'s email is no longer the one the link was sent to.',
      body: VerifyBodySchema,
      response: { 200: VerifiedSchema, ...problemResponses(400, 503) }
    }
  }, async (request) => verification.verify(request.body.token, request.id))
}
