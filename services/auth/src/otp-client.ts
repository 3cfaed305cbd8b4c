import type { ServiceClient } from '@app/kit/client'
import type { OtpPurpose } from '@app/contracts/verification'

export function createOtpClient (client: ServiceClient) {
  return {
    /** Spends a valid code; rejects with the otp service's `otp_invalid`, `otp_expired`, `otp_attempts_exceeded` or `rate_limited`. */
    verify: (destination: string, purpose: OtpPurpose, otp: string, requestId?: string) =>
      client.call<{ valid: true }>('POST', '/internal/otp/verify', { body: { destination, purpose, otp }, requestId })
  }
}

export type OtpClient = ReturnType<typeof createOtpClient>
