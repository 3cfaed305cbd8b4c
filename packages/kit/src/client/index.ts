export { createServiceClient } from './service-client.ts'
export type { ServiceClient, ServiceClientOptions, CallOptions } from './service-client.ts'
