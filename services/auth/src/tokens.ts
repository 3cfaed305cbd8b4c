import { createHash, KeyObject, randomBytes, randomUUID, sign as edSign } from 'node:crypto'
import { errors } from 'jose'
import type { CryptoKey, JWTVerifyGetKey } from 'jose'
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

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url')

const keyObjects = new WeakMap<CryptoKey, KeyObject>()
function keyObjectOf (key: CryptoKey): KeyObject {
  let found = keyObjects.get(key)
  if (!found) {
    found = KeyObject.from(key)
    keyObjects.set(key, found)
  }
  return found
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
      const header = { alg: 'EdDSA', typ: ACCESS_TOKEN_TYPE, kid }
      const payload = { sid: claims.sid, roles: claims.roles, auth_time: authTime, sub: claims.sub, iss: issuer, aud: audience, iat, exp: iat + ttlSeconds, jti: randomUUID() }
      const input = `${base64url(header)}.${base64url(payload)}`
      // Ed25519 with node:crypto on this thread (tens of microseconds): WebCrypto would queue it on
      // libuv's pool behind the password hashes of concurrent logins.
      return `${input}.${edSign(null, Buffer.from(input), keyObjectOf(key)).toString('base64url')}`
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
