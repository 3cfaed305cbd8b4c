/** `jo***@example.com`: enough for the owner to recognise the address, little for anyone else. */
export function maskEmail (email: string): string {
  const at = email.lastIndexOf('@')
  if (at < 1) return '***'
  const local = email.slice(0, at)
  return `${local.slice(0, Math.min(2, local.length - 1))}***${email.slice(at)}`
}

/** The last four digits of a phone number, or undefined without one. */
export function phoneEnd (phone: string | null | undefined): string | undefined {
  const digits = (phone ?? '').replace(/\D/g, '')
  return digits.length >= 4 ? digits.slice(-4) : undefined
}
