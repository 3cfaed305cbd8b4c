import { defineService, serviceUrls } from '@app/kit/service'
import { GatewayConfigSchema } from './config.ts'
import { registerDocs } from './docs.ts'
import { registerProxies } from './proxy.ts'
import { UPSTREAMS } from './upstreams.ts'

export const gatewayService = defineService({
  name: 'gateway',
  description: 'The public entry of the platform.',
  configSchema: GatewayConfigSchema,
  stateless: true,
  serverOptions: { openapiRoute: false },
  async setup (app, { config, env }) {
    const urlOf = (service: Parameters<typeof serviceUrls>[0]) => serviceUrls(service, env)[0]!
    await registerProxies(app, UPSTREAMS, urlOf, config.GATEWAY_UPSTREAM_TIMEOUT_MS)
    if (config.GATEWAY_DOCS_ENABLED) {
      const services = [...new Set(UPSTREAMS.map(u => u.service))]
      await registerDocs(app, services.map(service => ({ service, url: urlOf(service) })))
    }
  }
})
