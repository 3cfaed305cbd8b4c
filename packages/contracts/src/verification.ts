/**
 * The phone-auth design's RabbitMQ topology, kept by name: the auth service
 * asks for a code on exchange `verification` with routing key
 * `otp_routing_key` (queue `otp_queue`); the otp service answers with a
 * status, never the code, on `otp_to_auth` (queue `auth_service_queue`).
 */
export const VERIFICATION_EXCHANGE = 'verification'
export const OTP_REQUEST_ROUTING_KEY = 'otp_routing_key'
export const OTP_REQUEST_QUEUE = 'otp_queue'
export const OTP_RESULT_ROUTING_KEY = 'otp_to_auth'
export const OTP_RESULT_QUEUE = 'auth_service_queue'

export const OTP_REQUESTED = 'otp.requested'
export const OTP_REQUEST_COMPLETED = 'otp.request_completed'

export type OtpPurpose = 'verification' | 'login' | 'password_reset' | 'mfa'

export interface OtpRequest {
  requestId: string
  /** E.164 phone or email address. */
  destination: string
  purpose: OtpPurpose
  userId?: string | null
}

export interface OtpResult {
  requestId: string
  destination: string
  purpose: OtpPurpose
  status: 'sent' | 'rate_limited' | 'invalid'
}
