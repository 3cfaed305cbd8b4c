import { AuthErrors } from '../errors.ts'

/** Why a WebAuthn response was refused: the `reason` of the problem and of `auth.login_failed`. */
export type RejectionReason =
  | 'unknown_passkey' | 'challenge_invalid' | 'origin_mismatch' | 'rp_id_mismatch'
  | 'signature_invalid' | 'counter_regressed' | 'user_verification_missing' | 'invalid_response'

const DETAILS: Record<RejectionReason, string> = {
  unknown_passkey: 'This passkey is not registered here (it may have been removed)',
  challenge_invalid: 'The challenge is unknown, expired or already used: ask for new options and try again',
  origin_mismatch: 'The response comes from a page origin this service does not accept',
  rp_id_mismatch: 'The passkey was used for another relying party (RP id)',
  signature_invalid: 'The response signature does not verify',
  counter_regressed: 'The authenticator\'s signature counter went backwards: the passkey may have been cloned',
  user_verification_missing: 'The authenticator did not verify the user',
  invalid_response: 'The response is not a well-formed WebAuthn credential'
}

export class PasskeyRejection extends Error {
  readonly reason: RejectionReason
  constructor (reason: RejectionReason) {
    super(DETAILS[reason])
    this.reason = reason
  }
}

export const reject = (reason: RejectionReason): never => { throw new PasskeyRejection(reason) }

/** The 400 problem for a refused response: `reason` in the body names the failed check. */
export const rejectionProblem = (reason: RejectionReason) =>
  AuthErrors.passkey_rejected({ detail: DETAILS[reason], errors: [{ path: '/body/response', message: DETAILS[reason] }], extra: { reason } })

/** The library's verification errors, by what they say failed. */
export function reasonOfVerifyError (err: unknown): RejectionReason {
  const message = err instanceof Error ? err.message : ''
  if (/RP ID hash/i.test(message)) return 'rp_id_mismatch'
  if (/counter value/i.test(message)) return 'counter_regressed'
  if (/user could not be verified|User not present|user was not present/i.test(message)) return 'user_verification_missing'
  if (/origin/i.test(message)) return 'origin_mismatch'
  if (/challenge/i.test(message)) return 'challenge_invalid'
  if (/signature/i.test(message)) return 'signature_invalid'
  return 'invalid_response'
}
