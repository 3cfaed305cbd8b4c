import { hkdfSync } from 'node:crypto'

/** One key of a keyring, as configured. */
export interface KeyEntry {
  kid: string
  /** The key itself (derived from the configured secret and the ring's purpose). */
  key: Buffer
  /** Epoch milliseconds after which the key no longer verifies or opens anything; undefined: until removed. */
  acceptUntil: number | undefined
}

/**
 * The keys of one purpose: the current one signs and seals, and older ones
 * still verify and open until their date, so a rotation overlaps.
 */
export interface Keyring {
  /** The purpose's label (`internal`, `identity`, `otp-hmac`, `seal`). */
  readonly purpose: string
  /** The key to sign or seal with; throws (a ConfigError) when the ring has none. */
  current(): { kid: string, key: Buffer }
  /** The key named `kid` while it is accepted (the current one always is); otherwise undefined. */
  find(kid: string): Buffer | undefined
}

export interface KeyringOptions {
  purpose: string
  /** The HKDF `info` that separates this purpose's keys from every other's. */
  info: string
  /** Wall clock in epoch milliseconds: when an older key stops being accepted. */
  now?: () => number
}

const KID = /^[A-Za-z0-9_-]{1,64}$/
const MIN_SECRET = 32

/** The purpose's key from a secret: the same secret never gives two purposes the same key. */
export function deriveKey (secret: string, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, '', info, 32))
}

interface ParsedEntry { kid: string, secret: string, acceptUntil: number | undefined }

/**
 * Parses `kid:secret[:acceptUntilISO]` entries separated by commas. Returns
 * the entries, or the problems (which never quote a secret).
 */
export function parseKeyringSpec (variable: string, spec: string): { entries: ParsedEntry[], problems: string[] } {
  const entries: ParsedEntry[] = []
  const problems: string[] = []
  const parts = spec.split(',').map(p => p.trim()).filter(Boolean)
  if (parts.length === 0) problems.push(`${variable} must list at least one kid:secret entry`)
  parts.forEach((part, i) => {
    const where = `${variable} entry ${i + 1}`
    const first = part.indexOf(':')
    const kid = first < 0 ? part : part.slice(0, first)
    const rest = first < 0 ? '' : part.slice(first + 1)
    const second = rest.indexOf(':')
    const secret = second < 0 ? rest : rest.slice(0, second)
    const until = second < 0 ? undefined : rest.slice(second + 1)
    if (!KID.test(kid)) return problems.push(`${where} must start with a key id of 1 to 64 letters, digits, _ or -, then ':'`)
    if (secret.length < MIN_SECRET) return problems.push(`${where} (${kid}) must have a secret of at least ${MIN_SECRET} characters`)
    if (entries.some(e => e.kid === kid)) return problems.push(`${where} repeats the key id ${kid}`)
    let acceptUntil: number | undefined
    if (until !== undefined) {
      acceptUntil = /^\d{4}-\d{2}-\d{2}/.test(until) ? Date.parse(until) : Number.NaN
      if (Number.isNaN(acceptUntil)) return problems.push(`${where} (${kid}) must end with an ISO date such as 2030-01-31 or 2030-01-31T12:00:00Z, got ${JSON.stringify(until)}`)
      if (i === 0) return problems.push(`${where} (${kid}) is the current key: it takes no end date (only older keys, listed after it, do)`)
    }
    entries.push({ kid, secret, acceptUntil })
  })
  return { entries, problems }
}

/** A keyring over entries; the first is current. */
export function createKeyring (entries: Array<{ kid: string, secret: string, acceptUntil?: number | undefined }>, options: KeyringOptions): Keyring {
  if (entries.length === 0) throw new Error('a keyring needs at least one key')
  const now = options.now ?? Date.now
  const keys: KeyEntry[] = entries.map(e => ({ kid: e.kid, key: deriveKey(e.secret, options.info), acceptUntil: e.acceptUntil }))
  const byKid = new Map(keys.map(k => [k.kid, k]))
  const current = { kid: keys[0]!.kid, key: keys[0]!.key }
  return {
    purpose: options.purpose,
    current: () => current,
    find (kid) {
      const entry = byKid.get(kid)
      if (!entry) return undefined
      if (entry.acceptUntil !== undefined && now() >= entry.acceptUntil) return undefined
      return entry.key
    }
  }
}

/**
 * A keyring without keys: nothing verifies, and signing throws `missing`
 * (a ConfigError naming the variable to set).
 */
export function emptyKeyring (purpose: string, missing: () => Error): Keyring {
  return {
    purpose,
    current: () => { throw missing() },
    find: () => undefined
  }
}
