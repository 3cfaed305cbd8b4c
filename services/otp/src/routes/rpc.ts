import type { ConnectRouter } from '@connectrpc/connect'
import { OtpService } from '@app/contracts/otp/v1'
import { verifyClientIp } from '@app/kit/http'
import { KitErrors } from '@app/kit/errors'
import { PURPOSES } from '../otp-service.ts'
import type { OtpService as Otp, Purpose } from '../otp-service.ts'

function purposeOf (value: string): Purpose {
  if (value === '') return 'verification'
  if ((PURPOSES as readonly string[]).includes(value)) return value as Purpose
  throw KitErrors.validation_failed({ detail: `purpose must be one of ${PURPOSES.join(', ')}`, errors: [{ path: '/purpose', message: 'is not a known purpose' }] })
}

/** `otp.v1.OtpService`: GenerateOtp over Connect, gRPC and gRPC-Web, with the REST route's limits. */
export function otpRpc (otp: Otp, secret: string) {
  return (router: ConnectRouter) => router.service(OtpService, {
    async generateOtp (req, ctx) {
      const destination = req.destination.case === undefined ? '' : req.destination.value
      if (!destination) throw KitErrors.validation_failed({ detail: 'phone_number or email is required', errors: [{ path: '/phone_number', message: 'or email is required' }] })
      const ip = verifyClientIp(ctx.requestHeader.get('x-client-ip'), ctx.requestHeader.get('x-client-ip-signature'), secret)
      return otp.generate({ destination, purpose: purposeOf(req.purpose), ip })
    }
  })
}
