import { randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const FILE = 'service-secret'

/**
 * The service secret of a development deployment that set none: made once and
 * kept in `DATA_DIR`. Every keyring left unset is derived from it, so what was
 * sealed or signed before a restart (codes in queued messages, stored code
 * HMACs) is still accepted after it. Production sets the keyrings instead.
 */
export function persistedServiceSecret (dataDir: string): string {
  const path = join(dataDir, FILE)
  try {
    const existing = readFileSync(path, 'utf8').trim()
    if (existing.length >= 32) return existing
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
  }
  mkdirSync(dataDir, { recursive: true })
  const secret = randomBytes(32).toString('hex')
  // `wx`: two processes starting at once keep the first one's secret.
  try {
    writeFileSync(path, secret + '\n', { mode: 0o600, flag: 'wx' })
    return secret
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    return readFileSync(path, 'utf8').trim()
  }
}
