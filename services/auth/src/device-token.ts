import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import type { LoginClientKeys } from './login-client-keys.ts'

const DEVICE_ID = /^[A-Za-z0-9_-]{22}$/
const KID = /^[A-Za-z0-9_-]{1,64}$/
const MAX_TOKEN_LENGTH = 160

const mac = (key: Buffer, kid: string, deviceId: string) => createHmac('sha256', key).update(`gh-device\n${kid}\n${deviceId}`).digest()

/**
 * A device token is `<kid>.<deviceId>.<mac>`: a random id for one browser or
 * app install, signed so that a forged or altered one is ignored before any
 * lookup. It names no account and carries nothing secret about one; which
 * accounts the device logged in to is kept on the server.
 */
export function createDeviceTokens (keys: LoginClientKeys) {
  return {
    /** The device id of a well-signed token under an accepted key; undefined for anything else. */
    read (token: string | undefined): string | undefined {
      if (!token || token.length > MAX_TOKEN_LENGTH) return undefined
      const [kid, deviceId, signature, extra] = token.split('.')
      if (extra !== undefined || !kid || !deviceId || !signature || !KID.test(kid) || !DEVICE_ID.test(deviceId)) return undefined
      const key = keys.find(kid)
      if (!key) return undefined
      const expected = mac(key, kid, deviceId)
      const given = Buffer.from(signature, 'base64url')
      return given.length === expected.length && timingSafeEqual(given, expected) ? deviceId : undefined
    },
    /** A token for the device (a new one when `deviceId` is undefined), signed with the current key. */
    issue (deviceId = randomBytes(16).toString('base64url')): { deviceId: string, token: string } {
      const { kid, key } = keys.current()
      return { deviceId, token: `${kid}.${deviceId}.${mac(key, kid, deviceId).toString('base64url')}` }
    }
  }
}

export type DeviceTokens = ReturnType<typeof createDeviceTokens>
