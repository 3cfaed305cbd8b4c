// Runs the password service alone (a container): `node --import tsx services/password/src/main.ts`.
import { runStandalone } from '@app/kit/service'
import { passwordService } from './service.ts'

await runStandalone(passwordService)
