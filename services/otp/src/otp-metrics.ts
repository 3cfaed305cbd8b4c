import { Counter, boundChildren } from '@app/kit/metrics'
import type { Registry } from '@app/kit/metrics'
import { isAppError } from '@app/kit/errors'
import { PURPOSES } from './otp-service.ts'
import type { OtpService, SendRequest, ValidateRequest } from './otp-service.ts'

const KNOWN_PURPOSES = new Set<string>(PURPOSES)

/**
 * Sends and validations by channel, purpose and outcome, counted around the
 * service itself, so the HTTP routes, Connect RPC and the code-request consumer
 * are all counted. The outcome is `sent` / `valid`, or the refusal's error code
 * (rate_limited, otp_expired, otp_invalid, otp_attempts_exceeded,
 * validation_failed, sms_unavailable ...), or `error`: a closed set. Never
 * the destination.
 */
export function measuredOtp (otp: OtpService, registry: Registry): OtpService {
  const sends = new Counter({
    name: 'gatehouse_otp_sends_total',
    help: 'Code sends asked for, by operation (generate, regenerate, resend), channel, purpose and outcome (sent or the refusal\'s error code)',
    labelNames: ['operation', 'channel', 'purpose', 'outcome'] as const,
    registers: [registry]
  })
  const validations = new Counter({
    name: 'gatehouse_otp_validations_total',
    help: 'Code validations by channel, purpose and outcome (valid, otp_invalid, otp_expired, otp_attempts_exceeded, rate_limited ...)',
    labelNames: ['channel', 'purpose', 'outcome'] as const,
    registers: [registry]
  })
  const channelOf = (request: SendRequest | ValidateRequest) => request.destination.includes('@') ? 'email' : 'sms'
  const purposeOf = (request: SendRequest | ValidateRequest) => {
    const purpose = request.purpose ?? 'verification'
    return KNOWN_PURPOSES.has(purpose) ? purpose : 'other'
  }
  const outcomeOf = (err: unknown) => (isAppError(err) ? err.code : 'error')
  // Children bound once per label combination (a closed set, see above), so
  // the request path does not have prom-client hash a label object each time.
  const sendsBy = boundChildren(sends)
  const validationsBy = boundChildren(validations)
  const sent = (operation: string, request: SendRequest, outcome: string) => sendsBy(operation, channelOf(request), purposeOf(request), outcome).inc()
  const validated = (request: ValidateRequest, outcome: string) => validationsBy(channelOf(request), purposeOf(request), outcome).inc()

  function send (operation: 'generate' | 'regenerate' | 'resend') {
    const run = otp[operation]
    return async (request: SendRequest) => {
      try {
        const result = await run(request)
        sent(operation, request, 'sent')
        return result
      } catch (err) {
        sent(operation, request, outcomeOf(err))
        throw err
      }
    }
  }

  return {
    generate: send('generate'),
    regenerate: send('regenerate'),
    resend: send('resend'),
    async validate (request) {
      try {
        const result = await otp.validate(request)
        validated(request, 'valid')
        return result
      } catch (err) {
        validated(request, outcomeOf(err))
        throw err
      }
    }
  }
}

/** Abuse findings of the SMS fraud guard as they are made (enforced or only recorded), by reason and mode. */
export function abuseSuspicions (registry: Registry, mode: string): (reason: string) => void {
  const suspected = new Counter({
    name: 'gatehouse_otp_abuse_suspected_total',
    help: 'SMS pumping findings of the fraud guard by reason and mode (enforce: the send was refused; record: sent and reported)',
    labelNames: ['reason', 'mode'] as const,
    registers: [registry]
  })
  const byReason = boundChildren(suspected)
  return reason => byReason(reason, mode).inc()
}
