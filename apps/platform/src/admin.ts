// `npm run admin -- create --email <email> [--password <password>]`: makes an administrator, with the
// same environment (.env, DATABASE_URL or DATA_DIR) as `npm start`. Exit codes follow sysexits.h.
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { loadDotEnv } from '@app/kit/config'
import type { Env } from '@app/kit/config'
import { openPgliteCluster } from '@app/kit/db'
import type { PgliteCluster } from '@app/kit/db'
import { isAppError } from '@app/kit/errors'
import { exitOnConfigError, loadServiceConfig, openMigratedDb } from '@app/kit/service'
import type { ServiceDefinition } from '@app/kit/service'
import { userService } from '@app/user'
import { adminDeps, checkAdminAccount, ensureAdmin } from '@app/user/admin'

const USAGE = `usage: npm run admin -- create --email <email> [--password <password>] [--force]
  Creates an administrator (roles user and admin), or gives an existing account the admin role
  (its password is left as it is). The password may come from ADMIN_PASSWORD instead of the
  command line; it is needed only to create an account.`

export interface CommandResult {
  code: number
  message: string
}

const fail = (code: number, message: string): CommandResult => ({ code, message })

function parse (argv: string[]) {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { email: { type: 'string' }, password: { type: 'string' }, force: { type: 'boolean', default: false } }
    })
    return positionals.length === 1 && positionals[0] === 'create' && values.email ? values : undefined
  } catch {
    return undefined
  }
}

/** PGlite writes postmaster.pid while open but does not refuse a second process, and two corrupt the data directory. */
function lockedDataDir (dir: string): CommandResult | undefined {
  if (!existsSync(join(dir, 'postmaster.pid'))) return undefined
  return fail(75, `the embedded database in ${dir} is in use: stop the platform (npm start) first, one process at a time. ` +
    'If nothing is running (it was killed), the lock is stale: run again with --force.')
}

export async function adminCommand (argv: string[], env: Env): Promise<CommandResult> {
  const args = parse(argv)
  if (!args?.email) return fail(64, USAGE)
  let account
  try {
    account = checkAdminAccount({ email: args.email, password: args.password || env.ADMIN_PASSWORD || undefined })
  } catch (err) {
    if (!isAppError(err)) throw err
    return fail(65, (err.errors ?? []).map(e => `${e.path === '/email' ? '--email' : 'the password'} ${e.message}`).join('; '))
  }
  const config = loadServiceConfig(userService, env)
  const dataDir = resolve(config.DATA_DIR, 'pglite')
  const locked = config.DATABASE_URL || args.force ? undefined : lockedDataDir(dataDir)
  if (locked) return locked
  let cluster: PgliteCluster | undefined
  try {
    cluster = config.DATABASE_URL ? undefined : await openPgliteCluster(dataDir)
  } catch (err) {
    return fail(74, `could not open the embedded database in ${dataDir} (${(err as Error).message}); is the platform running?`)
  }
  try {
    const { db } = await openMigratedDb(userService as unknown as ServiceDefinition, config, cluster, 2)
    try {
      const { user, created, promoted } = await ensureAdmin(adminDeps(db, config), account)
      if (created) return { code: 0, message: `created administrator ${user.email} (${user.id})` }
      if (promoted) return { code: 0, message: `promoted ${user.email} (${user.id}) to administrator; its password is unchanged` }
      return { code: 0, message: `${user.email} (${user.id}) is already an administrator` }
    } catch (err) {
      if (isAppError(err) && err.code === 'validation_failed') return fail(65, `the password ${err.errors?.[0]?.message ?? err.detail}`)
      throw err
    } finally {
      await db.close()
    }
  } finally {
    await cluster?.close()
  }
}

if (process.argv[1] && resolve(process.argv[1]) === import.meta.filename) {
  loadDotEnv()
  try {
    const { code, message } = await adminCommand(process.argv.slice(2), process.env)
    const out = code === 0 ? process.stdout : process.stderr
    out.write(message + '\n')
    process.exit(code)
  } catch (err) {
    exitOnConfigError(err)
  }
}
