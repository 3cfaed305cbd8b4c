// Building an Intl.NumberFormat costs far more than formatting with one: each
// (locale, currency) pair is built once. The pairs in use are few; the cap bounds odd ones.
const formats = new Map<string, Intl.NumberFormat>()
const MAX_FORMATS = 500

function currencyFormat (locale: string, currency: string): Intl.NumberFormat {
  const key = `${locale}|${currency}`
  let format = formats.get(key)
  if (!format) {
    if (formats.size >= MAX_FORMATS) formats.clear()
    formats.set(key, format = new Intl.NumberFormat(locale, { style: 'currency', currency }))
  }
  return format
}

/** Digits after the decimal point of a currency (2 for EUR, 0 for JPY, 3 for BHD), as ICU knows them. */
function minorDigits (currency: string): number {
  return currencyFormat('en', currency).resolvedOptions().maximumFractionDigits ?? 2
}

/**
 * An amount in minor units (cents) as the locale writes money: `formatMoney(123456, 'EUR', 'de')`
 * is `1.234,56 €`. The decimal is built as a string, so no float rounding.
 */
export function formatMoney (minor: number, currency: string, locale: string): string {
  const digits = minorDigits(currency)
  const sign = minor < 0 ? '-' : ''
  const units = String(Math.abs(Math.trunc(minor))).padStart(digits + 1, '0')
  const decimal = digits === 0 ? units : `${units.slice(0, -digits)}.${units.slice(-digits)}`
  return currencyFormat(locale, currency).format(`${sign}${decimal}` as Intl.StringNumericLiteral)
}
