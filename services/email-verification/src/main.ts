// Runs the email-verification service alone (a container): `node --import tsx services/email-verification/src/main.ts`.
import { runStandalone } from '@app/kit/service'
import { emailVerificationService } from './service.ts'

await runStandalone(emailVerificationService)
