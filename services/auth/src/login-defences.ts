import type { Static } from '@sinclair/typebox'
import { clientIp } from '@app/kit/http'
import type { ServiceContext } from '@app/kit/service'
import type { AuthConfigSchema } from './config.ts'
import { createDeviceTokens } from './device-token.ts'
import { createKnownClients } from './known-clients.ts'
import { loginClientKeys } from './login-client-keys.ts'
import { createLoginThrottle } from './login-throttle.ts'
import type { LoginClients } from './password-login.ts'
import { createSecondSteps } from './second-steps.ts'
import type { AuthRouteOptions } from './routes/auth.ts'

/** The login throttle, the known clients and the device tokens, from the auth settings. */
export function loginDefences (ctx: ServiceContext<Static<typeof AuthConfigSchema>>) {
  const { config, db } = ctx
  const now = () => ctx.now()
  const keys = loginClientKeys(ctx.keys.identity)
  // Without a key no login could hand out a device token: refuse to start, naming the variable to set.
  keys.current()
  const routes: AuthRouteOptions = {
    clientIp: request => clientIp(request),
    deviceCookie: { maxAgeSeconds: config.AUTH_KNOWN_DEVICE_TTL_SECONDS, secure: config.AUTH_DEVICE_COOKIE_SECURE, production: config.NODE_ENV === 'production' }
  }
  const clients: LoginClients = {
    throttle: createLoginThrottle({
      cache: ctx.cache,
      now,
      freeFailures: config.AUTH_MAX_FAILED_LOGINS,
      firstDelaySeconds: config.AUTH_FAILED_LOGIN_DELAY_SECONDS,
      maxDelaySeconds: config.AUTH_FAILED_LOGIN_MAX_DELAY_SECONDS,
      memorySeconds: config.AUTH_FAILED_LOGIN_WINDOW_SECONDS,
      unknownPerHour: config.AUTH_UNKNOWN_CLIENT_LOGINS_PER_HOUR
    }),
    knownClients: createKnownClients({ db, keys, now, deviceTtlSeconds: config.AUTH_KNOWN_DEVICE_TTL_SECONDS, networkTtlSeconds: config.AUTH_KNOWN_IP_TTL_SECONDS }),
    devices: createDeviceTokens(keys),
    secondSteps: createSecondSteps(ctx.cache)
  }
  return { clients, routes }
}
