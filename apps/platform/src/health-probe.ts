import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'

/** The environment variables that decide where this container's service listens. */
export interface ProbeEnv {
  SERVICE?: string | undefined
  HOST?: string | undefined
  PORT?: string | undefined
  GATEWAY_TLS_CERT?: string | undefined
}

/** The image sets PORT=8080; a service started without one listens there, as does the all-in-one gateway. */
const DEFAULT_PORT = 8080
const ANY_ADDRESS = new Set(['', '0.0.0.0', '::'])

/**
 * Where the service of this container answers `path`: its PORT on loopback (or on HOST when it
 * is bound to one address). The gateway (alone, or the all-in-one process) serves HTTPS when
 * GATEWAY_TLS_CERT is set.
 */
export function probeUrl (env: ProbeEnv, path = '/healthz'): URL {
  const port = Number(env.PORT) > 0 ? Number(env.PORT) : DEFAULT_PORT
  const host = ANY_ADDRESS.has(env.HOST ?? '') ? '127.0.0.1' : env.HOST!
  const tls = Boolean(env.GATEWAY_TLS_CERT) && (env.SERVICE === undefined || env.SERVICE === '' || env.SERVICE === 'gateway')
  return new URL(path, `${tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`)
}

/**
 * Whether GET `url` answers 2xx within `timeoutMs`. Never throws. The certificate is not checked:
 * this asks the container's own listener whether it is alive, over loopback, not who it is.
 */
export function probe (url: URL, timeoutMs: number): Promise<boolean> {
  return new Promise(resolve => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest
    const req = send(url, { method: 'GET', timeout: timeoutMs, rejectUnauthorized: false, headers: { connection: 'close' } }, res => {
      res.resume()
      resolve(res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode < 300)
    })
    req.on('timeout', () => req.destroy(new Error('timed out')))
    req.on('error', () => resolve(false))
    req.end()
  })
}
