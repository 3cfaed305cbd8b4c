// Runs the otp service alone (a container): `node --import tsx services/otp/src/main.ts`.
import { runStandalone } from '@app/kit/service'
import { otpService } from './service.ts'

await runStandalone(otpService)
