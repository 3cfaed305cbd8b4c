import { createHash, randomBytes, randomUUID } from 'node:crypto'
import { errors, jwtVerify, SignJWT } from 'jose'
import type { JWTVerifyGetKey } from 'jose'
import type { Keyring } from './signing-keys.ts'

export interface AccessClaims {
  sub: string
  sid: string
  roles: string[]
  exp: number
}

export interface AccessTokenOptions {
  keys: Keyring
  issuer: string
  audience: string
  ttlSeconds: number
  now: () => Date
}

export const ACCESS_TOKEN_TYPE = 'at+jwt'

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
    async sign (claims: { sub: string, sid: string, roles: string[] }): Promise<string> {
      const { kid, key } = await keys.signingKey()
      const iat = Math.floor(now().getTime() / 1000)
      return new SignJWT({ sid: claims.sid, roles: claims.roles })
        .setProtectedHeader({ alg: 'EdDSA', typ: ACCESS_TOKEN_TYPE, kid })
        .setSubject(claims.sub)
        .setIssuer(issuer)
        .setAudience(audience)
        .setIssuedAt(iat)
        .setExpirationTime(iat + ttlSeconds)
        .setJti(randomUUID())
        .sign(key)
    },

    /** The claims of a well-signed, current token for this issuer and audience; undefined for anything else. */
    async verify (token: string): Promise<AccessClaims | undefined> {
      try {
        const { payload } = await jwtVerify(token, getKey, {
          algorithms: ['EdDSA'], typ: ACCESS_TOKEN_TYPE, issuer, audience, currentDate: now(), requiredClaims: ['sub', 'sid', 'exp', 'jti']
        })
        const { sub, sid, roles, exp } = payload
        if (typeof sub !== 'string' || typeof sid !== 'string' || typeof exp !== 'number') return undefined
        if (!Array.isArray(roles) || !roles.every(r => typeof r === 'string')) return undefined
        return { sub, sid, roles, exp }
      } catch (err) {
        // A bad token is an answer; a database outage while looking up the key is not.
        if (err instanceof errors.JOSEError) return undefined
        throw err
      }
    }
  }
}

export type AccessTokens = ReturnType<typeof createAccessTokens>
