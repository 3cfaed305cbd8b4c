import { Type } from '@sinclair/typebox'
import type { App } from '@app/kit/http'
import { StrictObject, clientIp, problemResponses } from '@app/kit/http'
import type { PhoneAuth } from '../phone-auth.ts'

const tags = ['auth', 'phone']
const Phone = Type.String({ minLength: 4, maxLength: 32, description: 'E.164', examples: ['+14155550123'] })
const Code = Type.String({ pattern: '^[0-9]{6}$', description: 'the 6-digit code that was sent' })
const PhoneBody = StrictObject({ phone: Phone })
const PhoneCodeBody = StrictObject({ phone: Phone, otp: Code })
const Accepted = { 202: Type.Object({ message: Type.String() }), ...problemResponses(400, 429) }
const Pair = { 200: Type.Ref('TokenPair'), ...problemResponses(400, 401, 410, 429) }

export function phoneRoutes (app: App, phone: PhoneAuth): void {
  app.post('/api/v1/auth/phone/signup', {
    schema: { tags, summary: 'Sign up with a phone number (SignupWithPhoneNumber)', description: 'Sends a code with purpose `verification`; answers at once, without waiting for the SMS.', body: PhoneBody, response: Accepted }
  }, async (request, reply) => reply.code(202).send(await phone.signup(request.body.phone)))

  app.post('/api/v1/auth/phone/verify', {
    schema: { tags, summary: 'Confirm the number with its code and log in (VerifyPhoneNumber)', description: 'Only the code phone/signup sent (flow `phone_signup`) is accepted; a code from /api/v1/otp is not. Creates the account if the number has none and marks the phone verified. The same token pair as password login.', body: PhoneCodeBody, response: Pair }
  }, async (request) => phone.verify(request.body.phone, request.body.otp, request.id))

  app.post('/api/v1/auth/phone/login/start', {
    schema: { tags, summary: 'Ask for a login code', description: 'The same 202 whether or not the number is registered; only a registered and verified number gets a code (purpose `login`, flow `phone_login`: a code from /api/v1/otp never logs in).', body: PhoneBody, response: Accepted }
  }, async (request, reply) => reply.code(202).send(await phone.loginStart(request.body.phone)))

  app.post('/api/v1/auth/phone/login', {
    schema: { tags, summary: 'Log in with the code (LoginWithPhoneNumber)', body: PhoneCodeBody, response: Pair }
  }, async (request) => phone.login(request.body.phone, request.body.otp, request.id))

  app.post('/api/v1/auth/phone/check', {
    schema: { tags, summary: 'Can this number log in with a code? (ValidatePhoneNumberLogin)', description: 'It tells whether a number has an account, so it is limited strictly: per client IP and per number by this service (whoever calls its port), and by the gateway. 429 `rate_limited` with `Retry-After`.', body: PhoneBody, response: { 200: Type.Object({ isValid: Type.Boolean() }), ...problemResponses(400, 429) } }
  }, async (request) => phone.check(request.body.phone, request.id, clientIp(request)))
}
