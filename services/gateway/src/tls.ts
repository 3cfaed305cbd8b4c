import { readFileSync } from 'node:fs'
import { X509Certificate, createPrivateKey } from 'node:crypto'
import type { KeyObject } from 'node:crypto'
import { ConfigError } from '@app/kit/config'
import type { TlsCredentials } from '@app/kit/http'

export interface TlsSettings {
  GATEWAY_TLS_CERT?: string | undefined
  GATEWAY_TLS_KEY?: string | undefined
}

/**
 * A setting holding PEM text itself (it contains `-----BEGIN `; `\n` escapes,
 * as env files carry them, become line breaks), or else the path of a PEM file.
 * The value is never repeated in a problem: it may be a private key.
 */
function readPem (name: string, value: string, problems: string[]): Buffer | undefined {
  if (value.includes('-----BEGIN ')) return Buffer.from(value.includes('\n') ? value : value.replaceAll('\\n', '\n'))
  try {
    return readFileSync(value)
  } catch (err) {
    problems.push(`${name} names a file that cannot be read (${(err as NodeJS.ErrnoException).code ?? 'unreadable'})`)
  }
}

function parse<T> (name: string, what: string, pem: Buffer | undefined, read: (pem: Buffer) => T, problems: string[]): T | undefined {
  if (!pem) return undefined
  try {
    return read(pem)
  } catch {
    problems.push(`${name} is not ${what}`)
  }
}

/** The gateway's certificate and key, checked to be readable, well-formed and a pair; undefined when neither is set. */
export function gatewayTls (settings: TlsSettings): TlsCredentials | undefined {
  const { GATEWAY_TLS_CERT: certSetting, GATEWAY_TLS_KEY: keySetting } = settings
  if (!certSetting && !keySetting) return undefined
  if (!certSetting) throw new ConfigError(['GATEWAY_TLS_CERT is required when GATEWAY_TLS_KEY is set'])
  if (!keySetting) throw new ConfigError(['GATEWAY_TLS_KEY is required when GATEWAY_TLS_CERT is set'])
  const problems: string[] = []
  const cert = readPem('GATEWAY_TLS_CERT', certSetting, problems)
  const key = readPem('GATEWAY_TLS_KEY', keySetting, problems)
  const certificate = parse('GATEWAY_TLS_CERT', 'a PEM certificate', cert, pem => new X509Certificate(pem), problems)
  const privateKey: KeyObject | undefined = parse('GATEWAY_TLS_KEY', 'an unencrypted PEM private key', key, pem => createPrivateKey(pem), problems)
  if (certificate && privateKey && !certificate.checkPrivateKey(privateKey)) {
    problems.push('GATEWAY_TLS_KEY is not the private key of the certificate in GATEWAY_TLS_CERT')
  }
  if (problems.length > 0 || !cert || !key) throw new ConfigError(problems)
  return { cert, key }
}
