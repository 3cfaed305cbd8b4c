import { startTestService, uniqueName } from '@app/kit/testing'
import type { TestBackends } from '@app/kit/testing'
import type { Env } from '@app/kit/config'
import { SERVICE_PORTS, serviceUrlVariable } from '@app/kit/service'
import type { ServiceName } from '@app/kit/service'
import { gatewayService } from '../src/service.ts'

/** A gateway whose every service is the one instance at `upstreamUrl`, with limits no test reaches. */
export function startGatewayInFront (upstreamUrl: string, backends: TestBackends, env: Env = {}) {
  const services = Object.fromEntries((Object.keys(SERVICE_PORTS) as ServiceName[])
    .filter(s => s !== 'gateway').map(s => [serviceUrlVariable(s), upstreamUrl]))
  return startTestService(gatewayService, {
    ...services,
    CACHE_PREFIX: `${uniqueName('gw')}:`,
    GATEWAY_DOCS_ENABLED: 'false',
    GATEWAY_RATE_LIMIT_PER_MINUTE: '100000',
    GATEWAY_SENSITIVE_RATE_LIMIT_PER_MINUTE: '100000',
    ...env
  }, backends)
}
