import type { BaseConfig } from '../config/index.ts'
import type { App } from '../http/index.ts'

/** Where a listening app is called: its bound port (PORT=0 picks one), and 127.0.0.1 for a server bound to every address. */
export function listeningUrl (app: App, config: BaseConfig, tls: boolean): string {
  const address = app.server.address()
  const port = typeof address === 'object' && address ? address.port : config.PORT
  return `${tls ? 'https' : 'http'}://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${port}`
}
