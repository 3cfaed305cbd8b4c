// Runs the auth service alone (a container): `node --import tsx services/auth/src/main.ts`.
import { runStandalone } from '@app/kit/service'
import { authService } from './service.ts'

await runStandalone(authService)
