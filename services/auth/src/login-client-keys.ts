import { hkdfSync } from 'node:crypto'
import type { Keyring } from '@app/kit/keys'

/** The HKDF label of the device-token and client-hash keys: no other key of the platform equals them. */
const INFO = 'gatehouse/auth/login-clients/v1'

/** Keys that sign device tokens and hash the client addresses an account logged in from. */
export interface LoginClientKeys {
  current(): { kid: string, key: Buffer }
  find(kid: string): Buffer | undefined
}

/**
 * Sub-keys of the identity keyring (each kid gives its own), so rotating
 * IDENTITY_KEYS rotates these too: tokens and hashes of an older key keep
 * working while it is accepted. Without IDENTITY_KEYS (development, tests)
 * the ring is derived from SERVICE_SECRET, and so are these.
 */
export function loginClientKeys (identity: Keyring): LoginClientKeys {
  const derived = new Map<string, Buffer>()
  const sub = (kid: string, key: Buffer) => {
    let found = derived.get(kid)
    if (!found) {
      found = Buffer.from(hkdfSync('sha256', key, '', INFO, 32))
      derived.set(kid, found)
    }
    return found
  }
  return {
    current () {
      const { kid, key } = identity.current()
      return { kid, key: sub(kid, key) }
    },
    find (kid) {
      const key = identity.find(kid)
      return key && sub(kid, key)
    }
  }
}
