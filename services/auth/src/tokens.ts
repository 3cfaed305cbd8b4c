import { createHash, randomBytes, randomUUID } from 'node:crypto'
import { errors, SignJWT } from 'jose'
import type { JWTVerifyGetKey } from 'jose'
import { ACCESS_TOKEN_TYPE, verifyAccessToken } from '@app/kit/tokens'
import type { AccessClaims } from '@app/kit/tokens'
import type { Keyring } from './signing-keys.ts'

export type { AccessClaims } from '@app/kit/tokens'

export interface AccessTokenOptions {
  keys: Keyring
  issuer: string
  audience: string
  ttlSeconds: number
  now: () => Date
}

export { ACCESS_TOKEN_TYPE }

/** An opaque refresh token: 32 random bytes, base64url. */
export function newRefreshToken (): string {
  return randomBytes(32).toString('base64url')
}

/** What is stored and looked up: the token itself never reaches the database. */
export function hashToken (token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

export function createAccessTokens ({ keys, issuer, audience, ttlSeconds, now }: AccessTokenOptions) {
  const getKey: JWTVerifyGetKey = async (header) => {
    const key = header.kid ? await keys.verificationKey(header.kid) : undefined
    if (!key) throw new errors.JWKSNoMatchingKey()
    return key
  }

  return {
    ttlSeconds,
    /** `authTime`: the session's last proof of identity (the `auth_time` claim). */
    async sign (claims: { sub: string, sid: string, roles: string[], authTime: Date }): Promise<string> {
      const { kid, key } = await keys.signingKey()
      const iat = Math.floor(now().getTime() / 1000)
      // Never after iat, whatever clocks of other instances wrote.
      const authTime = Math.min(Math.floor(claims.authTime.getTime() / 1000), iat)
      return new SignJWT({ sid: claims.sid, roles: claims.roles, auth_time: authTime })
        .setProtectedHeader({ alg: 'EdDSA', typ: ACCESS_TOKEN_TYPE, kid })
        .setSubject(claims.sub)
        .setIssuer(issuer)
        .setAudience(audience)
        .setIssuedAt(iat)
        .setExpirationTime(iat + ttlSeconds)
        .setJti(randomUUID())
        .sign(key)
    },

    /** The claims of a token that passes the one check the gateway makes too (`verifyAccessToken`); undefined for anything else. */
    async verify (token: string): Promise<AccessClaims | undefined> {
      try {
        return await verifyAccessToken(token, getKey, { issuer, audience, maxLifetimeSeconds: ttlSeconds }, now())
      } catch (err) {
        // A bad token is an answer; a database outage while looking up the key is not.
        if (err instanceof errors.JOSEError) return undefined
        throw err
      }
    }
  }
}

export type AccessTokens = ReturnType<typeof createAccessTokens>
