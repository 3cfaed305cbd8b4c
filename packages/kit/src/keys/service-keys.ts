import { ConfigError } from '../config/load-config.ts'
import type { Env } from '../config/load-config.ts'
import { createKeyring, emptyKeyring, parseKeyringSpec } from './keyring.ts'
import type { Keyring } from './keyring.ts'

/** The keyrings every service gets (`ctx.keys`): one per purpose, so a leak of one opens nothing else. */
export interface ServiceKeys {
  /** Signs and verifies the short-lived credential of each `/internal/*` call. */
  internal: Keyring
  /** Signs (gateway) and verifies (services) the identity assertion of each proxied request. */
  identity: Keyring
  /** Keys the HMAC under which OTP codes are stored. */
  otpHmac: Keyring
  /** Seals secrets (codes, links) inside events and delivery requests. */
  seal: Keyring
}

export type KeyPurpose = keyof ServiceKeys

/** The kid of a key derived from SERVICE_SECRET (development and tests only). */
export const DERIVED_KID = 'derived-1'

/**
 * Per purpose: its variable, and the HKDF label of its keys. The OTP and seal
 * labels are those SERVICE_SECRET was derived with before keyrings existed,
 * so `derived-1` opens what was sealed (and checks codes stored) before.
 */
export const KEY_PURPOSES: Record<KeyPurpose, { variable: string, label: string, info: string }> = {
  internal: { variable: 'INTERNAL_AUTH_KEYS', label: 'internal', info: 'gatehouse/internal-auth/v1' },
  identity: { variable: 'IDENTITY_KEYS', label: 'identity', info: 'gatehouse/identity-assertion/v1' },
  otpHmac: { variable: 'OTP_HMAC_KEYS', label: 'otp-hmac', info: 'gatehouse/otp/v1' },
  seal: { variable: 'EVENT_SEAL_KEYS', label: 'seal', info: 'gatehouse/delivery-secrets/v1' }
}

const PURPOSES = Object.keys(KEY_PURPOSES) as KeyPurpose[]

const isProduction = (env: Env) => env.NODE_ENV === 'production'
const set = (value: string | undefined): value is string => value !== undefined && value.trim() !== ''

/** Every problem with the keyring variables: malformed entries, and in production any that is unset. */
export function keyringProblems (env: Env): string[] {
  const problems: string[] = []
  for (const purpose of PURPOSES) {
    const { variable } = KEY_PURPOSES[purpose]
    const spec = env[variable]
    if (set(spec)) {
      problems.push(...parseKeyringSpec(variable, spec).problems)
    } else if (isProduction(env)) {
      problems.push(`${variable} is required in production: kid:secret entries (secret of 32+ random characters, e.g. ${variable}=k1:$(openssl rand -hex 32)); see docs/security.md`)
    }
  }
  return problems
}

export interface LoadKeysOptions {
  /** Wall clock in epoch milliseconds (tests move it to pass a key's end date). */
  now?: () => number
}

/**
 * The four keyrings from the environment. A variable that is unset falls
 * back, outside production, to a key derived from SERVICE_SECRET (kid
 * `derived-1`); without either the ring is empty: nothing verifies, and
 * signing throws a ConfigError naming the variable.
 * Call `keyringProblems(env)` first: malformed variables throw here.
 */
export function loadServiceKeys (env: Env, options: LoadKeysOptions = {}): ServiceKeys {
  const keys = {} as ServiceKeys
  for (const purpose of PURPOSES) {
    const { variable, label, info } = KEY_PURPOSES[purpose]
    const ringOptions = { purpose: label, info, ...(options.now ? { now: options.now } : {}) }
    const spec = env[variable]
    if (set(spec)) {
      const { entries, problems } = parseKeyringSpec(variable, spec)
      if (problems.length > 0) throw new ConfigError(problems)
      keys[purpose] = createKeyring(entries, ringOptions)
    } else if (!isProduction(env) && set(env.SERVICE_SECRET)) {
      keys[purpose] = createKeyring([{ kid: DERIVED_KID, secret: env.SERVICE_SECRET }], ringOptions)
    } else {
      keys[purpose] = emptyKeyring(label, () => new ConfigError([isProduction(env)
        ? `${variable} is required in production; see docs/security.md`
        : `${variable} is required (or SERVICE_SECRET, from which development derives it)`]))
    }
  }
  return keys
}
