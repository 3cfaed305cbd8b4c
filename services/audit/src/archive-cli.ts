// `npm run audit:archive -- --before <date> --out <file.jsonl>`: exports the audit entries older than
// the date, verified link by link, and prints the statements that prune them and record the anchor.
// Same environment as `npm start` (.env, DATABASE_URL or DATA_DIR). Exit codes follow sysexits.h.
import { createWriteStream } from 'node:fs'
import { once } from 'node:events'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { loadDotEnv } from '@app/kit/config'
import { openPgliteCluster } from '@app/kit/db'
import { exitOnConfigError, loadServiceConfig, openMigratedDb } from '@app/kit/service'
import type { ServiceDefinition } from '@app/kit/service'
import { exportArchive, pruneStatements } from './archive-export.ts'
import { auditService } from './service.ts'

const USAGE = 'usage: npm run audit:archive -- --before <ISO date> --out <file.jsonl>'

async function main (argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { before: { type: 'string' }, out: { type: 'string' } } })
  const before = new Date(values.before ?? '')
  if (!values.out || Number.isNaN(before.getTime())) {
    process.stderr.write(USAGE + '\n')
    return 64
  }
  const config = loadServiceConfig(auditService, process.env)
  const cluster = config.DATABASE_URL ? undefined : await openPgliteCluster(resolve(config.DATA_DIR, 'pglite'))
  const { db } = await openMigratedDb(auditService as unknown as ServiceDefinition, config, cluster, 2)
  const out = createWriteStream(values.out, { flags: 'wx' })
  try {
    const result = await exportArchive(db, before, async (line) => {
      if (!out.write(line)) await once(out, 'drain')
    })
    out.end()
    await once(out, 'finish')
    if (result.count === 0) {
      process.stdout.write(`nothing to archive: no entry after seq ${result.after.seq} is older than ${before.toISOString()}\n`)
      return 0
    }
    process.stdout.write(`exported ${result.count} entries, seq ${result.after.seq + 1} to ${result.through.seq}, to ${values.out}\n` +
      `they verify from ${result.after.hash} to ${result.through.hash}: keep both with the file.\n` +
      'Once the file is stored safely, prune them as the tables\' owner:\n\n' + pruneStatements(db.schema, result.through) + '\n')
    return 0
  } finally {
    await db.close()
    await cluster?.close()
  }
}

loadDotEnv()
try {
  process.exit(await main(process.argv.slice(2)))
} catch (err) {
  exitOnConfigError(err)
}
