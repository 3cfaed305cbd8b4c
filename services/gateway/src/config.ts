import { Type } from '@sinclair/typebox'

export const GatewayConfigSchema = Type.Object({
  GATEWAY_UPSTREAM_TIMEOUT_MS: Type.Integer({ default: 10_000, minimum: 100, maximum: 300_000, description: 'how long the gateway waits for a service before answering 504' }),
  GATEWAY_DOCS_ENABLED: Type.Boolean({ default: true, description: 'serve /docs and the merged /openapi.json' })
})
