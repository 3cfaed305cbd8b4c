import type { ClaimMapping } from './providers-config.ts'

/** What a sign-in takes from the provider's claims. */
export interface ProviderIdentity {
  subject: string
  email: string | undefined
  /** True only when the provider asserted it: a missing claim is not a verified email. */
  emailVerified: boolean
  name: string | undefined
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined

/**
 * The identity in the ID token's claims, completed by userinfo claims (which
 * never override the ID token's). Some providers send `email_verified` as the
 * string "true"; anything else counts as not verified.
 */
export function identityOf (idToken: Record<string, unknown>, userinfo: Record<string, unknown> | undefined, mapping: ClaimMapping): ProviderIdentity {
  const claim = (name: string) => idToken[name] ?? userinfo?.[name]
  const verified = claim(mapping.emailVerified)
  return {
    subject: String(idToken.sub),
    email: text(claim(mapping.email)),
    emailVerified: verified === true || verified === 'true',
    // The user service keeps names up to 100 characters.
    name: text(claim(mapping.name))?.slice(0, 100)
  }
}

/** Whether the ID token lacks a claim the mapping needs, so userinfo is worth asking. */
export function needsUserinfo (idToken: Record<string, unknown>, mapping: ClaimMapping): boolean {
  return idToken[mapping.email] === undefined || idToken[mapping.emailVerified] === undefined
}
