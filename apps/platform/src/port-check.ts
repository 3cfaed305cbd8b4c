import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { ConfigError } from '@app/kit/config'

/** Whether `port` on `host` can be listened on now (nothing else holds it). */
export function isPortFree (host: string, port: number): Promise<boolean> {
  return new Promise(resolve => {
    const server = createServer()
    server.once('error', () => resolve(false))
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)))
  })
}

/** The one line a newcomer reads when the gateway's port is taken: what to do, no stack trace. */
export function portInUse (port: number): ConfigError {
  return new ConfigError([`port ${port} is in use; set PORT=<another port> (e.g. PORT=${port === 8080 ? 8090 : port + 10} npm start) or stop the other process`])
}

/**
 * An internal service's port taken by another program between the check and
 * the service's start: PORT moves only the gateway, so the line names the
 * service and its port instead.
 */
export function internalPortTaken (service: string, port: number): ConfigError {
  return new ConfigError([`port ${port}, which the ${service} service was to use inside this process, was taken by another program while the platform started; start again (a taken internal port is swapped for a free one) or stop that program`])
}

/** A port held open until `release()`: the gateway's, from before the services start until it listens itself. */
export interface HeldPort {
  port: number
  release(): Promise<void>
}

/**
 * Listens on `port` (0: any free one) so that nothing else takes it while the
 * services start (seconds); `portInUse` when another process has it. Nothing
 * has been opened or started yet when it throws.
 */
export function holdPort (host: string, port: number): Promise<HeldPort> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', (err: NodeJS.ErrnoException) => reject(err.code === 'EADDRINUSE' || err.code === 'EACCES' ? portInUse(port) : err))
    server.listen({ host, port, exclusive: true }, () => {
      let released: Promise<void> | undefined
      resolve({
        port: (server.address() as AddressInfo).port,
        release: () => (released ??= new Promise<void>(_resolve => server.close(() => _resolve())))
      })
    })
  })
}
