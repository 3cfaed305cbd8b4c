import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'

export interface SelfSigned {
  certPath: string
  keyPath: string
  cert: Buffer
  key: Buffer
}

/**
 * A fresh P-256 certificate for localhost and 127.0.0.1, valid one day, made
 * by the `openssl` binary (Node 20's crypto parses certificates but cannot
 * issue one). Files in a temporary folder that `remove` deletes.
 */
export async function selfSignedCertificate (): Promise<SelfSigned & { remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'gateway-tls-'))
  const certPath = join(dir, 'cert.pem')
  const keyPath = join(dir, 'key.pem')
  await promisify(execFile)('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', keyPath, '-out', certPath, '-days', '1', '-subj', '/CN=localhost',
    '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'
  ]).catch((err: NodeJS.ErrnoException) => {
    throw new Error(err.code === 'ENOENT' ? 'the TLS tests need the openssl binary (Debian: apt-get install openssl)' : String(err))
  })
  return {
    certPath,
    keyPath,
    cert: await readFile(certPath),
    key: await readFile(keyPath),
    remove: () => rm(dir, { recursive: true, force: true })
  }
}
