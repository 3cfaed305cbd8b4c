import { defineErrors } from '@app/kit/errors'

export const GatewayErrors = defineErrors('gateway', {
  route_retired: { status: 410, message: 'This API route was retired' }
})
