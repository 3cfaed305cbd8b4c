import type { TObject } from '@sinclair/typebox'
import type { ServiceDefinition, ServiceName } from '@app/kit/service'
import { auditService } from '@app/audit'
import { authService } from '@app/auth'
import { emailVerificationService } from '@app/email-verification'
import { gatewayService } from '@app/gateway'
import { notificationService } from '@app/notification'
import { orderService } from '@app/order'
import { otpService } from '@app/otp'
import { passwordService } from '@app/password'
import { userService } from '@app/user'

/** Every service this build contains, the gateway last (it needs the others' addresses). */
export const SERVICES: Array<ServiceDefinition<TObject>> = [
  userService as unknown as ServiceDefinition<TObject>,
  notificationService as unknown as ServiceDefinition<TObject>,
  otpService as unknown as ServiceDefinition<TObject>,
  authService as unknown as ServiceDefinition<TObject>,
  passwordService as unknown as ServiceDefinition<TObject>,
  emailVerificationService as unknown as ServiceDefinition<TObject>,
  orderService as unknown as ServiceDefinition<TObject>,
  auditService as unknown as ServiceDefinition<TObject>,
  gatewayService as unknown as ServiceDefinition<TObject>
]

export function findService (name: string): ServiceDefinition<TObject> | undefined {
  return SERVICES.find(s => s.name === name as ServiceName)
}
