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

export type OtpPurpose = 'verification' | 'login' | 'password_reset' | 'mfa' | 'reauth'

/**
 * The flow a code belongs to: it is stored with the code, and a code of one
 * flow never satisfies another. `public` is what `/api/v1/otp/*` issues;
 * services ask for the others on `/internal/otp/*` or over `otp_queue`.
 */
export const OTP_FLOWS = ['public', 'phone_signup', 'phone_login', 'phone_change', 'password_reset', 'mfa', 'reauth', 'verification'] as const
export type OtpFlow = typeof OTP_FLOWS[number]
/** What internal callers may ask for. */
export type InternalOtpFlow = Exclude<OtpFlow, 'public'>
export const INTERNAL_OTP_FLOWS = OTP_FLOWS.filter((f): f is InternalOtpFlow => f !== 'public')

/** The flow assumed for a request that names none: the one its purpose implies. */
export function defaultOtpFlow (purpose: OtpPurpose | undefined): InternalOtpFlow {
  switch (purpose) {
    case 'login': return 'phone_login'
    case 'password_reset': return 'password_reset'
    case 'mfa': return 'mfa'
    case 'reauth': return 'reauth'
    default: return 'verification'
  }
}

export interface OtpRequest {
  requestId: string
  /** E.164 phone or email address. */
  destination: string
  purpose: OtpPurpose
  /** Defaults to `defaultOtpFlow(purpose)`. */
  flow?: InternalOtpFlow
  userId?: string | null
}

export interface OtpResult {
  requestId: string
  destination: string
  purpose: OtpPurpose
  status: 'sent' | 'rate_limited' | 'invalid'
}
