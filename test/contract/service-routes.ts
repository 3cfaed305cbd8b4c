import type { TObject } from '@sinclair/typebox'
import { openTestBackends, startTestService } from '@app/kit/testing'
import { SERVICE_PORTS, serviceUrlVariable } from '@app/kit/service'
import type { ServiceDefinition, ServiceName } from '@app/kit/service'
import { auditService } from '@app/audit'
import { authService } from '@app/auth'
import { emailVerificationService } from '@app/email-verification'
import { notificationService } from '@app/notification'
import { orderService } from '@app/order'
import { otpService } from '@app/otp'
import { passwordService } from '@app/password'
import { userService } from '@app/user'
import { gatewayService } from '@app/gateway'

export interface ServedRoute {
  service: string
  method: string
  /** Fastify's route URL, e.g. `/api/v1/users/:id`. */
  url: string
}

const SERVICES = [userService, authService, passwordService, otpService, emailVerificationService, notificationService, auditService, orderService, gatewayService] as unknown as Array<ServiceDefinition<TObject>>

// The gateway's upstreams: a port nobody listens on (its routes are registered all the same).
const NOWHERE = Object.fromEntries((Object.keys(SERVICE_PORTS) as ServiceName[]).map(s => [serviceUrlVariable(s), 'http://127.0.0.1:9']))

/**
 * Every route each service (and the gateway) registers in its setup (its own
 * routes, Connect RPC methods included), recorded by an onRoute hook while the
 * service starts as production starts it, in development mode (the dev inbox
 * on); the kit's operations routes come before setup.
 */
export async function collectServiceRoutes (): Promise<ServedRoute[]> {
  const backends = await openTestBackends()
  const routes: ServedRoute[] = []
  try {
    for (const definition of SERVICES) {
      const recording: ServiceDefinition<TObject> = {
        ...definition,
        async setup (app, ctx) {
          app.addHook('onRoute', (route) => {
            for (const method of [route.method].flat()) routes.push({ service: definition.name, method, url: route.url })
          })
          await definition.setup(app, ctx)
        }
      }
      const running = await startTestService(recording, { NODE_ENV: 'development', GATEWAY_DOCS_ENABLED: 'true', GATEWAY_HEALTH_CHECK_MS: '0', ...NOWHERE }, backends)
      await running.cleanup()
    }
  } finally {
    await backends.cleanup()
  }
  return routes
}
