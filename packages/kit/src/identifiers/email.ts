import { domainToASCII } from 'node:url'

// Deliberately simple: one @, a dot in the domain, no spaces. Deliverability is proven by verification, not by a regex.
const EMAIL_SHAPE = /^[^\s@]{1,64}@[^\s@]+\.[^\s@.]{2,}$/
const DOMAIN_SHAPE = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/
// Characters that render as nothing (zero-width spaces and joiners, bidi controls, variation selectors,
// fillers), control characters, private-use, unassigned and lone surrogates: two addresses differing only
// in these look identical to a person, so an address holding one is refused rather than silently cleaned.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Cs}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/u

/** True when the text holds a character that renders as nothing or controls rendering (see above): such input is refused, never cleaned. */
export function hasHiddenCharacters (raw: string): boolean {
  return INVISIBLE.test(raw.normalize('NFKC'))
}

/**
 * The one canonical form of an email address, used before every uniqueness check, lookup and
 * per-destination limit: Unicode NFKC (full-width and decomposed forms fold to one), trimmed, the domain
 * lower-cased and converted to ASCII (IDNA/punycode). The local part keeps its case (mailboxes may be
 * case-sensitive; uniqueness compares it case-insensitively where it is stored).
 * Returns `undefined` for anything that is not an email address, including one holding an invisible,
 * zero-width, bidi or control character.
 */
export function normalizeEmail (raw: string): string | undefined {
  if (typeof raw !== 'string' || raw.length > 1024) return undefined
  const folded = raw.normalize('NFKC').trim()
  if (folded.length > 254 || INVISIBLE.test(folded) || !EMAIL_SHAPE.test(folded)) return undefined
  const at = folded.lastIndexOf('@')
  const domain = domainToASCII(folded.slice(at + 1).toLowerCase())
  if (domain.length > 253 || !DOMAIN_SHAPE.test(domain)) return undefined
  const email = `${folded.slice(0, at)}@${domain}`
  return email.length > 254 ? undefined : email
}

/** The key per-destination limits and throttles count: the canonical form with the local part lower-cased too. */
export function emailLimitKey (raw: string): string | undefined {
  const email = normalizeEmail(raw)
  return email === undefined ? undefined : email.toLowerCase()
}
