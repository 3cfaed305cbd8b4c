import type { TObject } from '@sinclair/typebox'
import type { ServiceDefinition, ServiceName } from '@app/kit/service'

type Definition = ServiceDefinition<TObject>

// One service alone (SERVICE=otp, each process of `npm run start:services`) loads its own code
// only: importing every service's package would cost each process the others' memory.
const LOADERS: Record<ServiceName, () => Promise<unknown>> = {
  user: async () => (await import('@app/user')).userService,
  notification: async () => (await import('@app/notification')).notificationService,
  otp: async () => (await import('@app/otp')).otpService,
  auth: async () => (await import('@app/auth')).authService,
  password: async () => (await import('@app/password')).passwordService,
  'email-verification': async () => (await import('@app/email-verification')).emailVerificationService,
  order: async () => (await import('@app/order')).orderService,
  audit: async () => (await import('@app/audit')).auditService,
  gateway: async () => (await import('@app/gateway')).gatewayService
}

/** Every service this build contains, in start order: the gateway last (it needs the others' addresses). */
export const SERVICE_NAMES: ServiceName[] = ['user', 'notification', 'otp', 'auth', 'password', 'email-verification', 'order', 'audit', 'gateway']

export const isServiceName = (name: string): name is ServiceName => (SERVICE_NAMES as string[]).includes(name)

/** One service's definition, loading its package only. */
export async function loadService (name: ServiceName): Promise<Definition> {
  return await LOADERS[name]() as Definition
}

/** Every service's definition, in start order. */
export function loadServices (): Promise<Definition[]> {
  return Promise.all(SERVICE_NAMES.map(loadService))
}
