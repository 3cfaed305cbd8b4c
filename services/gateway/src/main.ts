// Runs the gateway alone (a container).
import { runStandalone } from '@app/kit/service'
import { gatewayService } from './service.ts'

await runStandalone(gatewayService)
