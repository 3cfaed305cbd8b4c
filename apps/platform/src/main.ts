// The launcher:
//   npm start                     every service in this process (embedded defaults)
//   SERVICE=user npm start        one service (containers); also --service user
//   npm run start:services        each service in its own process, on the real backends
//   npm run migrate               apply every service's migrations and exit
//   npm run rotate-keys           add a new access-token signing key (older keys stay published)
import { loadDotEnv } from '@app/kit/config'
import { createLogger, prettyDestination, wantsPrettyLogs } from '@app/kit/log'
import { closeOnSignals, runStandalone } from '@app/kit/service'
import { isServiceName, loadService, SERVICE_NAMES } from './services.ts'
import { DEFAULT_GATEWAY_PORT, withPublicUrl } from './public-url.ts'

const started = performance.now()
loadDotEnv()
const args = process.argv.slice(2)
const flag = (name: string) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined }
const serviceName = flag('--service') ?? process.env.SERVICE
// Readable lines at a terminal (pino-pretty), JSON otherwise and always in production.
const pretty = wantsPrettyLogs({ NODE_ENV: process.env.NODE_ENV, LOG_PRETTY: process.env.LOG_PRETTY, isTTY: process.stdout.isTTY === true })
const log = createLogger(process.env.LOG_LEVEL || 'info', undefined, pretty ? prettyDestination() : undefined)
// A promise nobody awaited must not take every request of this process down
// with it: logged loudly, the process keeps serving. (Errors in one request
// are answered by the error handler; this is the last line behind it.)
process.on('unhandledRejection', (err) => { log.error({ err }, 'unhandled promise rejection') })

try {
  // Each mode imports what it runs: one service alone loads only its own package.
  if (args[0] === 'migrate') {
    await (await import('./migrate.ts')).migrateAll(process.env, log)
    process.exit(0)
  } else if (args[0] === 'rotate-keys') {
    await (await import('./rotate-keys.ts')).rotateKeys(process.env, log)
    process.exit(0)
  } else if (serviceName) {
    if (!isServiceName(serviceName)) {
      process.stderr.write(`unknown service "${serviceName}"; one of: ${SERVICE_NAMES.join(', ')}\n`)
      process.exit(64)
    }
    // One service of a deployment: its links default from PUBLIC_URL (the gateway's port is not this one's PORT).
    Object.assign(process.env, withPublicUrl(process.env, DEFAULT_GATEWAY_PORT))
    await runStandalone(await loadService(serviceName), log)
  } else if (args.includes('--separate')) {
    const gatewayPort = Number(process.env.PORT) || DEFAULT_GATEWAY_PORT + Number(process.env.SERVICE_PORT_OFFSET ?? 0)
    const { stop } = (await import('./separate.ts')).startSeparate(withPublicUrl(process.env, gatewayPort), line => process.stdout.write(line + '\n'))
    closeOnSignals(stop, 15_000, log)
  } else {
    const platform = await (await import('./platform.ts')).startPlatform({ env: process.env, log })
    process.stdout.write((await import('./banner.ts')).banner(platform, performance.now() - started, process.env) + '\n')
    closeOnSignals(platform.close, 15_000, log)
  }
} catch (err) {
  (await import('./start-failure.ts')).exitOnStartFailure(err)
}
