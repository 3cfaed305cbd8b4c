import { formatMoney } from './money.ts'
import type { View } from './render.ts'

export type Strings = Record<string, string>

export interface ViewContext {
  locale: string
  strings: Strings
}

export type Variables = Record<string, unknown>

const str = (value: unknown) => (value === undefined || value === null ? '' : String(value))

/** `30` -> `30 minutes`, `1440` -> `24 hours`, in the locale's words. */
export function duration (minutes: number, locale: string): string {
  const hours = minutes >= 60 && minutes % 60 === 0
  return new Intl.NumberFormat(locale, { style: 'unit', unit: hours ? 'hour' : 'minute', unitDisplay: 'long' })
    .format(hours ? minutes / 60 : minutes)
}

const validFor = (vars: Variables, { locale }: ViewContext) => duration(Number(vars.expiresInMinutes), locale)

export const otpView = (vars: Variables, ctx: ViewContext): View => ({
  what: ctx.strings[`otp.purpose.${str(vars.purpose)}`] ?? ctx.strings['otp.purpose.default'],
  validFor: validFor(vars, ctx)
})

export const linkView = (vars: Variables, ctx: ViewContext): View => ({ validFor: validFor(vars, ctx) })

export const passwordChangedView = (vars: Variables): View => ({ reset: vars.reason === 'reset' })

export const profileChangedView = (vars: Variables, { locale, strings }: ViewContext): View => {
  const changes = Array.isArray(vars.changes) ? vars.changes.map(str) : []
  return { changed: new Intl.ListFormat(locale, { type: 'conjunction' }).format(changes.map(c => strings[`profile.change.${c}`] ?? c)) }
}

export const loginAlertView = (vars: Variables, { locale, strings }: ViewContext): View => {
  const at = new Date(str(vars.at))
  return {
    how: strings[`login.method.${str(vars.method)}`] ?? strings['login.method.default'],
    when: Number.isNaN(at.getTime()) ? '' : new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'long', timeZone: 'UTC' }).format(at)
  }
}

interface OrderItem { sku: string, quantity: number, unitPrice: number }

export const orderView = (vars: Variables, { locale }: ViewContext): View => {
  const currency = str(vars.currency)
  const items = (Array.isArray(vars.items) ? vars.items : []) as OrderItem[]
  const money = (minor: number) => formatMoney(minor, currency, locale)
  return {
    shortId: str(vars.orderId).slice(0, 8),
    itemCount: items.reduce((sum, item) => sum + Number(item.quantity), 0),
    items: items.map(item => ({
      sku: item.sku,
      quantity: item.quantity,
      unitPrice: money(Number(item.unitPrice)),
      lineTotal: money(Number(item.unitPrice) * Number(item.quantity))
    })),
    total: money(Number(vars.total))
  }
}
