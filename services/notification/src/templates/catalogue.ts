import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Channel } from '../providers/provider.ts'
import { TEMPLATE_DEFINITIONS } from './definitions.ts'
import { compileTemplate } from './render.ts'
import type { CompiledTemplate } from './render.ts'
import type { Strings, Variables } from './views.ts'

export const DEFAULT_LOCALE = 'en'

export interface RenderedMessage {
  subject?: string | undefined
  text: string
  html?: string | undefined
}

interface ChannelTemplates {
  subject?: CompiledTemplate
  text: CompiledTemplate
  html?: CompiledTemplate
}

interface Locale {
  strings: Strings
  /** By `<name>.<channel>`. */
  messages: Map<string, ChannelTemplates>
}

/** `Subject: ...`, a blank line, then the body. */
function splitSubject (file: string, source: string): { subject: string, body: string } {
  const match = /^Subject: (.*)\r?\n\r?\n/.exec(source)
  if (!match) throw new Error(`${file} must start with a "Subject: ..." line and a blank line`)
  return { subject: match[1]!, body: source.slice(match[0].length) }
}

async function readOptional (path: string): Promise<string | undefined> {
  try { return await readFile(path, 'utf8') } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw err
  }
}

async function loadLocale (dir: string, english?: Locale): Promise<Locale> {
  const strings = JSON.parse(await readOptional(join(dir, 'strings.json')) ?? '{}') as Strings
  const messages = new Map<string, ChannelTemplates>()
  for (const name of Object.keys(TEMPLATE_DEFINITIONS)) {
    for (const channel of ['email', 'sms'] as const) {
      const file = join(dir, `${name}.${channel}.txt`)
      const text = await readOptional(file)
      if (text === undefined) continue
      if (channel === 'sms') {
        messages.set(`${name}.sms`, { text: compileTemplate(text.trimEnd()) })
        continue
      }
      const { subject, body } = splitSubject(file, text)
      const html = await readOptional(join(dir, `${name}.email.html`))
      messages.set(`${name}.email`, {
        subject: compileTemplate(subject),
        text: compileTemplate(body),
        ...(html !== undefined ? { html: compileTemplate(html) } : {})
      })
    }
  }
  return { strings: { ...english?.strings, ...strings }, messages }
}

/**
 * The template files, read and compiled once at start-up: `<dir>/<locale>/<name>.email.txt`
 * (subject line, blank line, text body), `<name>.email.html` (the HTML body,
 * placed in `<dir>/layout.html`), `<name>.sms.txt`, and `strings.json` (words the
 * views use). English must have every message; another locale may have some,
 * and falls back to English message by message.
 */
export async function loadTemplates (dir: string) {
  const english = await loadLocale(join(dir, DEFAULT_LOCALE))
  const missing = Object.keys(TEMPLATE_DEFINITIONS).flatMap(name => ['email', 'sms'].map(c => `${name}.${c}`)).filter(key => !english.messages.has(key))
  if (missing.length > 0) throw new Error(`templates/${DEFAULT_LOCALE} lacks ${missing.join(', ')}`)
  const locales = new Map<string, Locale>([[DEFAULT_LOCALE, english]])
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.isDirectory() && entry.name !== DEFAULT_LOCALE) locales.set(entry.name, await loadLocale(join(dir, entry.name), english))
  }
  const layout = compileTemplate(await readFile(join(dir, 'layout.html'), 'utf8'))

  /** `de-AT` -> `de-at`, then `de`, then English. */
  function candidates (locale: string | undefined): string[] {
    const wanted = (locale ?? '').toLowerCase()
    return [wanted, wanted.split('-')[0]!, DEFAULT_LOCALE].filter(l => locales.has(l))
  }

  return {
    locales: [...locales.keys()],
    has: (name: string) => name in TEMPLATE_DEFINITIONS,
    /** The message in the first of the locale, its language, or English that has it. Throws for an unknown template. */
    render (name: string, channel: Channel, locale: string | undefined, vars: Variables, appName: string): RenderedMessage {
      const definition = TEMPLATE_DEFINITIONS[name]
      if (!definition) throw new Error(`unknown template ${name}`)
      const code = candidates(locale).find(l => locales.get(l)!.messages.has(`${name}.${channel}`))!
      const { strings, messages } = locales.get(code)!
      const templates = messages.get(`${name}.${channel}`)!
      const view = { appName, lang: code, ...vars, ...definition.view?.(vars, { locale: code, strings }) }
      const subject = templates.subject?.render(view)
      const html = templates.html && layout.render({ lang: code, appName, subject, body: templates.html.render(view, { html: true }).trimEnd() }, { html: true })
      return { subject, text: templates.text.render(view), html }
    }
  }
}

export type Templates = Awaited<ReturnType<typeof loadTemplates>>
