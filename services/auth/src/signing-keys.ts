import { generateKeyPairSync, randomUUID } from 'node:crypto'
import { importJWK, importPKCS8 } from 'jose'
import type { CryptoKey, JWK } from 'jose'
import type { Db, Queryable } from '@app/kit/db'
import { isSealed, openPrivateKey, sealPrivateKey } from './key-encryption.ts'

export interface PublicJwk {
  kty: string
  crv: string
  x: string
  kid: string
  alg: 'EdDSA'
  use: 'sig'
}

interface KeyRow {
  kid: string
  public_jwk: string
  private_key: string
}

export interface RotateOptions {
  /** Encrypts the new private key; refused when absent while stored keys are encrypted. */
  encryptionKey?: Buffer | undefined
  now?: Date
}

// Both instances of a first start wait here; the second sees the first one's key.
const LOCK = 'select pg_advisory_xact_lock(hashtext($1))'

async function insertKey (q: Queryable, options: RotateOptions): Promise<string> {
  const kid = randomUUID()
  const { publicKey, privateKey } = generateKeyPairSync('ed25519')
  const { kty, crv, x } = publicKey.export({ format: 'jwk' })
  const jwk: PublicJwk = { kty: kty!, crv: crv!, x: x!, kid, alg: 'EdDSA', use: 'sig' }
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()
  await q.query('insert into signing_keys (kid, public_jwk, private_key, created_at) values ($1, $2, $3, $4)',
    [kid, JSON.stringify(jwk), sealPrivateKey(pem, kid, options.encryptionKey), options.now ?? new Date()])
  return kid
}

async function refuseDowngrade (q: Queryable, options: RotateOptions): Promise<void> {
  if (options.encryptionKey) return
  const { rows } = await q.query<{ private_key: string }>('select private_key from signing_keys where retired_at is null')
  if (rows.some(r => isSealed(r.private_key))) throw new Error('stored signing keys are encrypted: pass the key-encryption key')
}

/** Creates the first signing key unless one exists; safe when several instances start at once. */
export async function ensureSigningKey (db: Db, options: RotateOptions = {}): Promise<void> {
  await db.tx(async (tx) => {
    await tx.query(LOCK, [`auth:signing-keys:${db.schema}`])
    const { rowCount } = await tx.query('select 1 from signing_keys where retired_at is null limit 1')
    if (rowCount === 0) await insertKey(tx, options)
  })
}

/**
 * Adds a key that becomes the signing key at once. Older keys stay published so
 * the tokens they signed validate until they expire. Returns the new kid.
 */
export async function rotateSigningKeys (db: Db, options: RotateOptions = {}): Promise<string> {
  return db.tx(async (tx) => {
    await tx.query(LOCK, [`auth:signing-keys:${db.schema}`])
    await refuseDowngrade(tx, options)
    return insertKey(tx, options)
  })
}

export interface Keyring {
  /**
   * The newest key: it signs every new token. Read again once `SIGNING_KEY_RECHECK_MS` passed
   * (on the injected clock), so a rotation by another process applies within that time.
   */
  signingKey(): Promise<{ kid: string, key: CryptoKey }>
  /** The public key for a kid, or undefined when unknown or retired. */
  verificationKey(kid: string): Promise<CryptoKey | undefined>
  /** Every non-retired public key, newest first. */
  publicKeys(): Promise<PublicJwk[]>
}

const PUBLIC_KEY_CACHE_MS = 60_000
/** Every token issued (login, refresh, phone verify) needs the signing key: one read per this period, not per token. */
export const SIGNING_KEY_RECHECK_MS = 5_000

export function createKeyring (db: Db, encryptionKey: Buffer | undefined, now: () => Date = () => new Date()): Keyring {
  const privateKeys = new Map<string, Promise<CryptoKey>>()
  let newest: { row: Promise<KeyRow | undefined>, at: number } | undefined
  const publicKeys = new Map<string, { key: Promise<CryptoKey | undefined>, at: number }>()

  const rows = async (where: string, params: unknown[] = [], limit = '') => (await db.query<KeyRow>(
    `select kid, public_jwk, private_key from signing_keys where retired_at is null ${where} order by created_at desc, kid desc ${limit}`, params)).rows

  return {
    async signingKey () {
      const at = now().getTime()
      if (!newest || at - newest.at >= SIGNING_KEY_RECHECK_MS || at < newest.at) {
        const row = rows('', [], 'limit 1').then(([first]) => first)
        newest = { row, at }
        // A failed read is not remembered: the next token tries again.
        row.then(found => { if (!found && newest?.row === row) newest = undefined }, () => { if (newest?.row === row) newest = undefined })
      }
      const row = await newest.row
      if (!row) throw new Error('no signing key: ensureSigningKey was not run')
      let key = privateKeys.get(row.kid)
      if (!key) {
        key = importPKCS8(openPrivateKey(row.private_key, row.kid, encryptionKey), 'EdDSA')
        privateKeys.set(row.kid, key)
      }
      return { kid: row.kid, key: await key }
    },
    async verificationKey (kid) {
      const cached = publicKeys.get(kid)
      // Re-read after a while so a retired key stops verifying without a restart.
      if (cached && Date.now() - cached.at < PUBLIC_KEY_CACHE_MS) return cached.key
      const key = rows('and kid = $1', [kid]).then(async ([row]) =>
        row ? await importJWK(JSON.parse(row.public_jwk) as JWK, 'EdDSA') as CryptoKey : undefined)
      publicKeys.set(kid, { key, at: Date.now() })
      // Unknown kids are not remembered: random kids must not grow the map.
      key.then(found => { if (!found) publicKeys.delete(kid) }, () => publicKeys.delete(kid))
      return key
    },
    async publicKeys () {
      return (await rows('')).map(row => JSON.parse(row.public_jwk) as PublicJwk)
    }
  }
}
