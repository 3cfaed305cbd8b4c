import type { ServiceClient } from '@app/kit/client'

/** The otp service's codes for reauthentication: purpose and flow `reauth`, so no other code satisfies them. */
export function createReauthOtpClient (client: ServiceClient) {
  return {
    send: (destination: string, userId: string, clientIp: string | undefined, requestId?: string) =>
      client.call<{ message: string, expiresIn: number, resendAfter: number }>('POST', '/internal/otp/send', {
        body: { destination, purpose: 'reauth', flow: 'reauth', userId, ...(clientIp === undefined ? {} : { clientIp }) },
        requestId
      }),
    /** Spends a valid code; rejects with the otp service's `otp_invalid`, `otp_expired` or `otp_attempts_exceeded`. */
    verify: (destination: string, otp: string, requestId?: string) =>
      client.call<{ valid: true }>('POST', '/internal/otp/verify', { body: { destination, purpose: 'reauth', flow: 'reauth', otp }, requestId })
  }
}

export type ReauthOtpClient = ReturnType<typeof createReauthOtpClient>
