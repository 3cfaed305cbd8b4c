import { createHash, generateKeyPairSync, randomBytes, randomUUID, sign } from 'node:crypto'
import { isoCBOR } from '@simplewebauthn/server/helpers'
import type { Db } from '@app/kit/db'
import { createPasskeyStore } from '../src/passkeys/passkey-store.ts'

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest()

/**
 * A passkey made in the test (P-256, ES256), for the cases Chromium's virtual
 * authenticator was not recorded in: its assertions can leave out user
 * verification. Its public key is what a registration would have stored.
 */
export function softwareAuthenticator (options: { rpId?: string, origin?: string } = {}) {
  const rpId = options.rpId ?? 'localhost'
  const origin = options.origin ?? 'http://localhost:3000'
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const jwk = publicKey.export({ format: 'jwk' })
  const cose = isoCBOR.encode(new Map<number, number | Uint8Array>([
    [1, 2], [3, -7], [-1, 1], [-2, Buffer.from(jwk.x!, 'base64url')], [-3, Buffer.from(jwk.y!, 'base64url')]
  ]))
  const credentialId = randomBytes(16).toString('base64url')
  let counter = 0
  return {
    credentialId,
    /** The COSE public key, base64url, as the passkey store keeps it. */
    publicKey: Buffer.from(cose).toString('base64url'),
    /** An assertion for a challenge from the options routes: user present, user verified only when asked. */
    assert (challenge: string, { userVerified }: { userVerified: boolean }) {
      counter++
      const count = Buffer.alloc(4)
      count.writeUInt32BE(counter)
      const authenticatorData = Buffer.concat([sha256(rpId), Buffer.from([0x01 | (userVerified ? 0x04 : 0)]), count])
      const clientDataJSON = Buffer.from(JSON.stringify({ type: 'webauthn.get', challenge, origin, crossOrigin: false }))
      const signature = sign('sha256', Buffer.concat([authenticatorData, sha256(clientDataJSON)]), privateKey)
      return {
        id: credentialId,
        rawId: credentialId,
        type: 'public-key',
        clientExtensionResults: {},
        response: {
          clientDataJSON: clientDataJSON.toString('base64url'),
          authenticatorData: authenticatorData.toString('base64url'),
          signature: signature.toString('base64url')
        }
      }
    }
  }
}

/** A software passkey of the user, stored as a registration would have stored it. */
export async function storeSoftwarePasskey (db: Db, userId: string) {
  const authenticator = softwareAuthenticator()
  const passkeyId = randomUUID()
  await createPasskeyStore(db).insert({
    id: passkeyId,
    userId,
    credentialId: authenticator.credentialId,
    publicKey: authenticator.publicKey,
    counter: 0,
    transports: ['internal'],
    deviceType: 'singleDevice',
    backedUp: false,
    name: 'Software',
    createdAt: new Date()
  }, db)
  return { authenticator, passkeyId }
}
