import type { Translate } from '../i18n.tsx'

// The API's own checks decide; these only catch the obvious before a request is spent.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/
const E164 = /^\+[1-9]\d{6,14}$/

export const checkRequired = (t: Translate, value: string) => value.trim() === '' ? t('form.required') : undefined
export const checkEmail = (t: Translate, value: string) => checkRequired(t, value) ?? (EMAIL.test(value.trim()) ? undefined : t('form.invalidEmail'))
export const checkPhone = (t: Translate, value: string) => checkRequired(t, value) ?? (E164.test(value.trim()) ? undefined : t('form.invalidPhone'))

/** The first message of each field that has one; empty when the form may be sent. */
export function collect (checks: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(checks).filter((entry): entry is [string, string] => entry[1] !== undefined))
}
