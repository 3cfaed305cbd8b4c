import type { ConnectRouter, HandlerContext } from '@connectrpc/connect'
import { AuthService } from '@app/contracts/auth/v1'
import { KitErrors } from '@app/kit/errors'
import { rpcClientIp } from '@app/kit/rpc'
import type { AuthService as Auth, TokenPair } from '../auth-service.ts'
import type { PhoneAuth } from '../phone-auth.ts'
import type { UserClient } from '../user-client.ts'

interface Profile {
  id: string
  email: string | null
  phone: string | null
  name: string | null
  emailVerified: boolean
  phoneVerified: boolean
  roles: string[]
}

/** The REST token pair in the design's field names, with `session_token` (the access token) beside it. */
function tokens (pair: TokenPair) {
  return {
    tokens: { sessionToken: pair.accessToken, accessToken: pair.accessToken, refreshToken: pair.refreshToken, tokenType: pair.tokenType, expiresIn: pair.expiresIn },
    sessionToken: pair.accessToken
  }
}

const requestId = (ctx: HandlerContext) => ctx.requestHeader.get('x-request-id') ?? undefined

function bearer (ctx: HandlerContext): string {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(ctx.requestHeader.get('authorization') ?? '')
  if (!match) throw KitErrors.unauthorized('A valid access token is required (Authorization: Bearer <accessToken>)')
  return match[1]!
}

/** `auth.v1.AuthService`: the phone routes over Connect, gRPC and gRPC-Web. */
export function authRpc (phone: PhoneAuth, auth: Auth, users: UserClient) {
  return (router: ConnectRouter) => router.service(AuthService, {
    async signupWithPhoneNumber (req) {
      return phone.signup(req.phoneNumber)
    },
    async verifyPhoneNumber (req, ctx) {
      return tokens(await phone.verify(req.phoneNumber, req.otp, requestId(ctx)))
    },
    async loginWithPhoneNumber (req, ctx) {
      if (req.otp === '') return phone.loginStart(req.phoneNumber)
      return tokens(await phone.login(req.phoneNumber, req.otp, requestId(ctx)))
    },
    async validatePhoneNumberLogin (req, ctx) {
      return phone.check(req.phoneNumber, requestId(ctx), rpcClientIp(ctx))
    },
    async getProfile (_req, ctx) {
      const validation = await auth.validate(bearer(ctx))
      if (!validation.valid) throw KitErrors.unauthorized('The access token is invalid, expired or revoked')
      const user = await users.getUser(validation.sub, requestId(ctx)) as unknown as Profile
      return {
        id: user.id,
        email: user.email ?? '',
        phoneNumber: user.phone ?? '',
        name: user.name ?? '',
        emailVerified: user.emailVerified,
        phoneVerified: user.phoneVerified,
        roles: user.roles
      }
    }
  })
}
