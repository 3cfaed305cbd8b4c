import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react'
import type { ReactNode } from 'react'
import { messages as shared } from './ui/messages.ts'
import { messages as auth } from './auth/messages.ts'
import { messages as account } from './account/messages.ts'
import { messages as admin } from './admin/messages.ts'
import { messages as inbox } from './inbox/messages.ts'

export const LOCALES = ['en', 'de'] as const
export type Locale = typeof LOCALES[number]
export type Messages = Record<Locale, Record<string, string>>

const catalogue: Messages = { en: {}, de: {} }
for (const area of [shared, auth, account, admin, inbox]) {
  for (const locale of LOCALES) Object.assign(catalogue[locale], area[locale])
}

const STORAGE_KEY = 'gatehouse.locale'

/** `?lang=de`, then the last choice, then the browser's languages; English otherwise. */
function initialLocale (): Locale {
  const asked = new URLSearchParams(globalThis.location.search).get('lang') ?? globalThis.localStorage.getItem(STORAGE_KEY)
  if (asked && (LOCALES as readonly string[]).includes(asked)) return asked as Locale
  const browser = globalThis.navigator.languages.find(l => LOCALES.some(x => l.toLowerCase().startsWith(x)))
  return (browser?.slice(0, 2).toLowerCase() as Locale | undefined) ?? 'en'
}

export type Translate = (key: string, vars?: Record<string, string | number>) => string

interface I18n { locale: Locale, setLocale: (l: Locale) => void, t: Translate, formatDate: (iso: string | number | Date) => string }

const I18nContext = createContext<I18n | undefined>(undefined)

export function I18nProvider ({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(initialLocale)
  useEffect(() => { document.documentElement.lang = locale }, [locale])
  const setLocale = useCallback((next: Locale) => {
    globalThis.localStorage.setItem(STORAGE_KEY, next)
    setLocaleState(next)
  }, [])
  const value = useMemo<I18n>(() => {
    const dates = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' })
    return {
      locale,
      setLocale,
      t: (key, vars) => {
        const text = catalogue[locale][key] ?? catalogue.en[key] ?? key
        return vars ? text.replace(/\{(\w+)\}/g, (whole, name: string) => String(vars[name] ?? whole)) : text
      },
      formatDate: (value) => dates.format(new Date(value))
    }
  }, [locale, setLocale])
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>
}

export function useI18n (): I18n {
  const i18n = useContext(I18nContext)
  if (!i18n) throw new Error('useI18n outside I18nProvider')
  return i18n
}

export const useT = (): Translate => useI18n().t
