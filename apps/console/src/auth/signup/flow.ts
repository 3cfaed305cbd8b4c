// Shared by the self-service pages (sign-up, forgot, reset, verify email): the return URL kept for a mailed
// link, and the API's refusals in the reader's language.
import { useEffect, useState } from 'react'
import { useLocation, useNavigate } from 'react-router'
import { useT } from '../../i18n.tsx'
import type { Translate } from '../../i18n.tsx'
import type { Outcome, Problem } from '../../problem.ts'
import { useSubmit } from '../../ui/use-submit.ts'
import { loadHostedConfig, resolveTarget } from '../return-to.ts'
import type { PageReturn } from '../return-link.ts'

// The API names a field and says what is wrong with it in English (`is one of the 10,000 most
// common passwords; choose another`). The ones a person meets on these pages are said in their
// language; anything else is shown as the API put it, after the field's label.
const FIELD_MESSAGES: Array<[RegExp, string]> = [
  [/most common passwords/i, 'auth.flow.error.passwordCommon'],
  [/(at least|fewer than) \d+ characters/i, 'auth.flow.error.passwordShort'],
  [/(at most|more than) \d+ characters/i, 'auth.flow.error.passwordLong'],
  [/must not be your email/i, 'auth.flow.error.passwordIsEmail'],
  [/must not be your phone/i, 'auth.flow.error.passwordIsPhone'],
  [/must differ from the current password/i, 'auth.flow.error.passwordUnchanged'],
  [/is already registered/i, 'auth.flow.error.taken.{name}'],
  [/E\.164/, 'form.invalidPhone'],
  [/valid email address|format "email"/i, 'form.invalidEmail'],
  [/is not the code that was sent/i, 'auth.flow.error.codeWrong']
]

/** A field's error for display: the form's own message as is, the API's translated where it is a known one. */
export function fieldText (t: Translate, name: string, label: string, message: string | undefined, fromApi: boolean): string | undefined {
  if (message === undefined || !fromApi) return message
  const known = FIELD_MESSAGES.find(([pattern]) => pattern.test(message))
  if (known) return t(known[1].replace('{name}', name))
  return t('auth.flow.error.field', { label, message })
}

/**
 * `useSubmit` with the field errors in words: `error(name, label)` is the
 * form's own message, or the API's, translated where it is a known one.
 */
export function useFlowForm () {
  const t = useT()
  const form = useSubmit()
  const [fromApi, setFromApi] = useState(false)
  async function submit<T> (checks: Record<string, string>, send: () => Promise<Outcome<T>>): Promise<Outcome<T> | undefined> {
    setFromApi(false)
    const outcome = await form.submit(checks, send)
    if (outcome && !outcome.ok) setFromApi(true)
    return outcome
  }
  const error = (name: string, label: string) => fieldText(t, name, label, form.fields[name], fromApi)
  return { ...form, submit, error }
}

/** A localised sentence for the refusals these pages expect; undefined for the rest (shown as the API says). */
export function knownProblem (t: Translate, problem: Problem): string | undefined {
  const left = typeof problem.attemptsLeft === 'number' ? problem.attemptsLeft : undefined
  switch (problem.code) {
    case 'validation_failed': return (problem.errors?.length ?? 0) > 0 ? t('auth.flow.problem.checkFields') : undefined
    case 'otp_invalid': return left === undefined ? t('auth.flow.problem.codeWrong') : t('auth.flow.problem.codeWrongLeft', { left })
    case 'otp_expired': return t('auth.flow.problem.codeExpired')
    case 'otp_attempts_exceeded': return t('auth.flow.problem.codeDead')
    default: return undefined
  }
}

/** A flow whose next step is a link in a message, opened later, often in a new tab. */
export type LinkFlow = 'reset' | 'verify-email'

// A link in a mail carries no `redirectTo` (the API does not put one in): the page that sent it
// keeps the return URL (and the app's codeChallenge beside it) in this browser for as long as such a
// link works, and the page the link opens takes it back. In another browser the flow ends on
// Gatehouse, as without a return URL.
const RETURN_TTL_MS: Record<LinkFlow, number> = { reset: 60 * 60_000, 'verify-email': 24 * 60 * 60_000 }
const returnKey = (flow: LinkFlow) => `gatehouse.return.${flow}`
const CODE_CHALLENGE = /^[A-Za-z0-9_-]{43}$/

/**
 * Keeps (or, without one, forgets) this flow's return for the page its mailed link opens: only once its `redirectTo`
 * has passed the same check as any return address (resolveTarget, another origin against the allow-list), and kept
 * as checked. A refused one is not kept, so a crafted link cannot plant a return address for the next mailed link.
 */
export function rememberReturn (flow: LinkFlow, { redirectTo, codeChallenge }: PageReturn): void {
  forgetReturn(flow)
  if (!redirectTo) return
  const keep = (checked: string | undefined) => {
    if (!checked) return
    try {
      const kept = { redirectTo: checked, ...(codeChallenge ? { codeChallenge } : {}), until: Date.now() + RETURN_TTL_MS[flow] }
      globalThis.localStorage.setItem(returnKey(flow), JSON.stringify(kept))
    } catch {
      // Storage refused (private mode, quota): the flow ends on Gatehouse.
    }
  }
  const local = resolveTarget(redirectTo)
  if (local !== undefined) return keep(local)
  loadHostedConfig().then(config => keep(config.ok ? resolveTarget(redirectTo, config.data.redirectAllowlist) : undefined), () => {})
}

function forgetReturn (flow: LinkFlow): void {
  try {
    globalThis.localStorage.removeItem(returnKey(flow))
  } catch {
    // Nothing kept.
  }
}

/** The kept return of this flow, taken once; the page checks `redirectTo` again (useReturnTo) before it follows it. */
function recallReturn (flow: LinkFlow): PageReturn | undefined {
  try {
    const kept = JSON.parse(globalThis.localStorage.getItem(returnKey(flow)) ?? 'null') as { redirectTo?: unknown, codeChallenge?: unknown, until?: unknown } | null
    globalThis.localStorage.removeItem(returnKey(flow))
    if (!kept || typeof kept.redirectTo !== 'string' || typeof kept.until !== 'number' || kept.until <= Date.now()) return undefined
    // A local path is rebuilt here already; another origin is kept only as a plain absolute URL.
    const redirectTo = resolveTarget(kept.redirectTo) ?? (/^https?:\/\/[^\s\\]+$/i.test(kept.redirectTo) ? kept.redirectTo : undefined)
    if (!redirectTo) return undefined
    const codeChallenge = typeof kept.codeChallenge === 'string' && CODE_CHALLENGE.test(kept.codeChallenge) ? kept.codeChallenge : undefined
    return { redirectTo, codeChallenge }
  } catch {
    return undefined
  }
}

/**
 * The token of a mailed link, kept in the history entry rather than the
 * address bar: read once from `?token=`, then the address is replaced
 * without it (and with the remembered `redirectTo` and `codeChallenge`, if
 * the flow began with them), so it is not left in the visible URL or copied
 * on, and a reload still finds it.
 */
export function useLinkToken (flow: LinkFlow): string | undefined {
  const location = useLocation()
  const navigate = useNavigate()
  const query = new URLSearchParams(location.search)
  const fromQuery = query.get('token') ?? undefined
  const kept = (location.state as { token?: string } | null)?.token
  useEffect(() => {
    if (!fromQuery) return
    query.delete('token')
    const back = query.has('redirectTo') ? undefined : recallReturn(flow)
    if (back?.redirectTo) query.set('redirectTo', back.redirectTo)
    if (back?.codeChallenge) query.set('codeChallenge', back.codeChallenge)
    const rest = query.toString()
    navigate(`${location.pathname}${rest ? `?${rest}` : ''}`, { replace: true, state: { token: fromQuery } })
  }, [fromQuery]) // only when a token arrives in the address
  return fromQuery ?? kept
}
