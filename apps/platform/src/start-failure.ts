import { exitOnConfigError } from '@app/kit/service'
import { portInUse } from './port-check.ts'

/**
 * How the launcher ends when its start fails: a configuration problem (a
 * taken port among them) is one line on stderr and exit code 78; anything
 * else is thrown on.
 */
export function exitOnStartFailure (err: unknown): never {
  // Another process took the gateway's port between the check and the listen: the same one line as the check's
  // (an internal service's port taken so is already a ConfigError naming the service, as PORT cannot move it).
  const { code, port } = (err ?? {}) as { code?: string, port?: number }
  if (code === 'EADDRINUSE') exitOnConfigError(portInUse(port ?? 0))
  exitOnConfigError(err)
}
