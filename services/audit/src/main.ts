// Runs the audit service alone (a container): `node --import tsx services/audit/src/main.ts`.
import { runStandalone } from '@app/kit/service'
import { auditService } from './service.ts'

await runStandalone(auditService)
