import type { BaseConfig, Env } from '../config/index.ts'
import { createServiceClient } from '../client/index.ts'
import type { ServiceClient } from '../client/index.ts'
import type { ServiceKeys } from '../keys/index.ts'
import type { Tracing } from '../tracing/index.ts'
import { serviceUrls } from './ports.ts'
import type { ServiceName } from './ports.ts'

export interface ServiceClients {
  /** `ctx.client`: one client per callee, made at its first use, signed as `caller`. */
  client(service: ServiceName): ServiceClient
  close(): void
}

/** The clients a service calls other services' `/internal/*` routes with. */
export function createServiceClients (options: { caller: ServiceName, env: Env, config: BaseConfig, keys: ServiceKeys, tracing: Tracing }): ServiceClients {
  const { caller, env, config, keys, tracing } = options
  const clients = new Map<ServiceName, ServiceClient>()
  return {
    client (service) {
      let client = clients.get(service)
      if (!client) {
        client = createServiceClient({
          baseUrls: serviceUrls(service, env),
          credential: { keyring: keys.internal, caller, callee: service },
          timeoutMs: config.INTERNAL_TIMEOUT_MS,
          tracing,
          callee: service
        })
        clients.set(service, client)
      }
      return client
    },
    close () { for (const client of clients.values()) client.close() }
  }
}
