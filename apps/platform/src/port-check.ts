import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { ConfigError } from '@app/kit/config'

/** A port held open until `release()`: the gateway's, from before the services start until it listens itself. */
export interface HeldPort {
  port: number
  release(): Promise<void>
}

/**
 * Listens on `port` of `host` (0: any free one) to keep it: `undefined` when
 * another process holds it or it is not ours to take (EADDRINUSE, EACCES);
 * other errors reject. It serves nothing: whoever connects meanwhile (a
 * browser, another program's probe) is cut off at once, so `release()` never
 * waits on a client that would wait for an answer forever.
 */
export function tryHoldPort (host: string, port: number): Promise<HeldPort | undefined> {
  return new Promise((resolve, reject) => {
    const server = createServer(socket => socket.destroy())
    const onError = (err: NodeJS.ErrnoException) => err.code === 'EADDRINUSE' || err.code === 'EACCES' ? resolve(undefined) : reject(err)
    server.once('error', onError)
    server.listen({ host, port, exclusive: true }, () => {
      server.off('error', onError)
      let released: Promise<void> | undefined
      resolve({
        port: (server.address() as AddressInfo).port,
        release: () => (released ??= new Promise<void>(_resolve => server.close(() => _resolve())))
      })
    })
  })
}

/** Whether `port` on `host` can be listened on now (nothing else holds it). */
export async function isPortFree (host: string, port: number): Promise<boolean> {
  const held = await tryHoldPort(host, port).catch(() => undefined)
  await held?.release()
  return held !== undefined
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

/**
 * Listens on `port` (0: any free one) so that nothing else takes it while the
 * services start (seconds); `portInUse` when another process has it. Nothing
 * has been opened or started yet when it throws.
 */
export async function holdPort (host: string, port: number): Promise<HeldPort> {
  const held = await tryHoldPort(host, port)
  if (!held) throw portInUse(port)
  return held
}
