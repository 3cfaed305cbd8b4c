import type { App } from '@app/kit/http'
import { problemResponses, requireCaller } from '@app/kit/http'
import { KitErrors } from '@app/kit/errors'
import type { PasswordService } from '../password-service.ts'
import { AcceptedSchema, ChangeBodySchema, ForgotBodySchema, ResetBodySchema } from '../schemas.ts'
import type { ResetBody } from '../schemas.ts'
import { Type } from '@sinclair/typebox'

const tags = ['password']
const FORGOT_ANSWER = { message: 'If an account exists for this address, a message with instructions is on its way.' }

function exactlyOneContact (body: { email?: string | undefined, phone?: string | undefined }): void {
  if ((body.email === undefined) === (body.phone === undefined)) {
    throw KitErrors.validation_failed({ detail: 'exactly one of email or phone is required', errors: [{ path: '/body/email', message: 'or phone is required, not both' }] })
  }
}

function resetMode (body: ResetBody): 'token' | 'otp' {
  if (body.token !== undefined) {
    if (body.otp !== undefined || body.email !== undefined || body.phone !== undefined) {
      throw KitErrors.validation_failed({ detail: 'send either token, or email/phone with otp', errors: [{ path: '/body/token', message: 'cannot be combined with email, phone or otp' }] })
    }
    return 'token'
  }
  if (body.otp === undefined) throw KitErrors.validation_failed({ detail: 'token, or otp with email or phone, is required', errors: [{ path: '/body/token', message: 'or otp is required' }] })
  exactlyOneContact(body)
  return 'otp'
}

export function publicRoutes (app: App, passwords: PasswordService): void {
  app.post('/api/v1/password/forgot', {
    schema: {
      tags,
      summary: 'Ask for a password reset by email or phone',
      description: 'Always 202 with the same body, whether or not the account exists. `link` sends a single-use link valid for 30 minutes; `otp` sends a 6-digit code for `POST /api/v1/password/reset`.',
      body: ForgotBodySchema,
      response: { 202: AcceptedSchema, ...problemResponses(400, 413, 415, 429) }
    }
  }, async (request, reply) => {
    exactlyOneContact(request.body)
    await passwords.forgot({ email: request.body.email, phone: request.body.phone, method: request.body.method ?? 'link' })
    return reply.code(202).send(FORGOT_ANSWER)
  })

  app.post('/api/v1/password/reset', {
    schema: {
      tags,
      summary: 'Set a new password with a reset token or code',
      description: 'Every session of the user ends, earlier reset links stop working, and a confirmation is sent (`password.changed`).',
      body: ResetBodySchema,
      response: { 204: Type.Null(), ...problemResponses(400, 410, 429) }
    }
  }, async (request, reply) => {
    const body = request.body
    if (resetMode(body) === 'token') await passwords.resetWithToken(body.token!, body.newPassword, request.id)
    else await passwords.resetWithOtp({ email: body.email, phone: body.phone }, body.otp!, body.newPassword, request.id)
    return reply.code(204).send(null)
  })

  app.post('/api/v1/password/change', {
    schema: {
      tags,
      summary: 'Change the password of the logged-in user',
      description: 'Requires the current password. Every other session of the user ends; this one stays.',
      security: [{ bearer: [] }],
      body: ChangeBodySchema,
      response: { 204: Type.Null(), ...problemResponses(400, 401) }
    }
  }, async (request, reply) => {
    const caller = requireCaller(request)
    await passwords.change(caller.userId, caller.sessionId, request.body.currentPassword, request.body.newPassword, request.id)
    return reply.code(204).send(null)
  })
}
