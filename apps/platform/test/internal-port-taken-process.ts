// Run by internal-port-taken.test.ts in its own process: the launcher starts an internal service on a
// port another program already holds (argv[2]), and ends as `npm start` ends when its start fails.
import { Type } from '@sinclair/typebox'
import { createLogger } from '@app/kit/log'
import { defineService } from '@app/kit/service'
import { TEST_SERVICE_SECRET } from '@app/kit/testing'
import { startInternalService } from '../src/platform.ts'
import { exitOnStartFailure } from '../src/start-failure.ts'

// The mapping depends on the service's name and port only: a stand-in needs no database.
const audit = defineService({ name: 'audit', description: 'stands in for the audit service', configSchema: Type.Object({}), stateless: true, async setup () {} })

try {
  await startInternalService(audit, { env: { NODE_ENV: 'test', SERVICE_SECRET: TEST_SERVICE_SECRET }, log: createLogger('silent'), port: Number(process.argv[2]) })
  process.stdout.write('started on a port another program holds\n')
  process.exit(0)
} catch (err) {
  exitOnStartFailure(err)
}
