// Runs the user service alone (a container): `node --import tsx services/user/src/main.ts`.
import { runStandalone } from '@app/kit/service'
import { userService } from './service.ts'

await runStandalone(userService)
