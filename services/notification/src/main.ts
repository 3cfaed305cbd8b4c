// Runs the notification service alone (a container).
import { runStandalone } from '@app/kit/service'
import { notificationService } from './service.ts'

await runStandalone(notificationService)
