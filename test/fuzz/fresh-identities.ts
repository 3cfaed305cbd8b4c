// The exemplar's email and phone (the schemas' examples): one account, so
// after the first case that registers it, every later one would stop at 409.
// Anchored and bounded: a 200 KB run of letters must not cost quadratic backtracking.
const EXAMPLE_EMAIL = /(?<![A-Za-z0-9._+-])[A-Za-z0-9._+-]{1,64}@example\.com/g
const EXAMPLE_PHONE = /\+14155550123/g

let counter = 0

/**
 * The body with each example email and phone replaced by ones no earlier case
 * used, so that a register or a change reaches the field under test. Works on
 * a Buffer's bytes as Latin-1, so invalid UTF-8 in it stays as it is.
 */
export function withFreshIdentities (body: Buffer | string | undefined): Buffer | string | undefined {
  if (body === undefined) return body
  const n = ++counter
  const email = `fuzz.case${n}@example.com`
  const phone = `+14152${String(n % 1_000_000).padStart(6, '0')}`
  const fresh = (text: string) => text.replace(EXAMPLE_EMAIL, email).replace(EXAMPLE_PHONE, phone)
  return typeof body === 'string' ? fresh(body) : Buffer.from(fresh(body.toString('latin1')), 'latin1')
}
