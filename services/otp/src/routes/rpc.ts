import type { ConnectRouter } from '@connectrpc/connect'
import { OtpService } from '@app/contracts/otp/v1'
import { KitErrors } from '@app/kit/errors'
import { rpcClientIp } from '@app/kit/rpc'
import { PUBLIC_PURPOSES } from '../otp-service.ts'
import type { OtpService as Otp, Purpose } from '../otp-service.ts'

function purposeOf (value: string): Purpose {
  if (value === '') return 'verification'
  if ((PUBLIC_PURPOSES as readonly string[]).includes(value)) return value as Purpose
  throw KitErrors.validation_failed({ detail: `purpose must be one of ${PUBLIC_PURPOSES.join(', ')}`, errors: [{ path: '/purpose', message: 'is not a known purpose' }] })
}

/** `otp.v1.OtpService`: GenerateOtp over Connect, gRPC and gRPC-Web, with the REST route's limits. */
export function otpRpc (otp: Otp) {
  return (router: ConnectRouter) => router.service(OtpService, {
    async generateOtp (req, ctx) {
      const destination = req.destination.case === undefined ? '' : req.destination.value
      if (!destination) throw KitErrors.validation_failed({ detail: 'phone_number or email is required', errors: [{ path: '/phone_number', message: 'or email is required' }] })
      // The address the gateway vouched for, as the kit verified it from the fastify request.
      return otp.generate({ destination, purpose: purposeOf(req.purpose), flow: 'public', ip: rpcClientIp(ctx) })
    }
  })
}
