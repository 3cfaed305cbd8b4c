import type { ServiceClient } from '@app/kit/client'
import { defaultOtpFlow } from '@app/contracts/verification'
import type { InternalOtpFlow, OtpPurpose } from '@app/contracts/verification'

export function createOtpClient (client: ServiceClient) {
  return {
    /**
     * Spends a valid code of the flow (default: the one the purpose implies); a code sent for another
     * flow, or by the public /otp API, never matches. Rejects with the otp service's `otp_invalid`,
     * `otp_expired`, `otp_attempts_exceeded` or `rate_limited`.
     */
    verify: (destination: string, purpose: OtpPurpose, otp: string, requestId?: string, flow: InternalOtpFlow = defaultOtpFlow(purpose)) =>
      client.call<{ valid: true }>('POST', '/internal/otp/verify', { body: { destination, purpose, flow, otp }, requestId })
  }
}

export type OtpClient = ReturnType<typeof createOtpClient>
