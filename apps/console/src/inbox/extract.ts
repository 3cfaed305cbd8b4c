/**
 * What a developer wants out of a captured message at a glance: its one-time
 * codes and its links. Pure functions over the message's text (the HTML part
 * says the same in the templates), so the page and its tests agree.
 */

/** A piece of text: plain, or a link to show as one. */
export type Segment = { kind: 'text', text: string } | { kind: 'link', href: string }

// http(s) URLs up to whitespace or a character that cannot end one in prose.
const URL_PATTERN = /https?:\/\/[^\s<>"'`]+/g
// Punctuation that ends the sentence around a link rather than the link itself.
const TRAILING = /[.,;:!?)\]}]+$/

// Six digits standing alone (codes are 6 digits); not part of a longer number, a phone number or a URL.
const CODE_PATTERN = /(?<![\d+/=&#-])\b\d{6}\b(?![\d/-])/g

function trimLink (raw: string): { href: string, rest: string } {
  const trailing = TRAILING.exec(raw)?.[0] ?? ''
  // A closing bracket that has its opening one inside the URL belongs to it (wiki-style links).
  if (trailing.startsWith(')') && raw.includes('(')) return { href: raw, rest: '' }
  return { href: raw.slice(0, raw.length - trailing.length), rest: trailing }
}

/** The text split into plain runs and links, in order (links without the sentence's trailing punctuation). */
export function segments (text: string): Segment[] {
  const out: Segment[] = []
  let last = 0
  for (const match of text.matchAll(URL_PATTERN)) {
    const { href, rest } = trimLink(match[0])
    const start = match.index
    if (start > last) out.push({ kind: 'text', text: text.slice(last, start) })
    out.push({ kind: 'link', href })
    last = start + href.length
    if (rest) {
      out.push({ kind: 'text', text: rest })
      last += rest.length
    }
  }
  if (last < text.length) out.push({ kind: 'text', text: text.slice(last) })
  return mergeText(out)
}

function mergeText (list: Segment[]): Segment[] {
  const merged: Segment[] = []
  for (const segment of list) {
    const previous = merged.at(-1)
    if (segment.kind === 'text' && previous?.kind === 'text') previous.text += segment.text
    else merged.push({ ...segment })
  }
  return merged
}

/** Every distinct link in the text, in order of appearance. */
export function linksIn (text: string): string[] {
  return [...new Set(segments(text).flatMap(s => s.kind === 'link' ? [s.href] : []))]
}

/** Every distinct 6-digit code in the text outside its links, in order of appearance. */
export function codesIn (text: string): string[] {
  const prose = segments(text).map(s => s.kind === 'text' ? s.text : ' ').join('')
  return [...new Set([...prose.matchAll(CODE_PATTERN)].map(m => m[0]))]
}

/** The first line worth showing in a list: the subject, else the text's first non-empty line. */
export function preview (message: { subject: string | null, text: string }, max = 120): string {
  const line = message.subject ?? message.text.split('\n').map(l => l.trim()).find(Boolean) ?? ''
  return line.length > max ? `${line.slice(0, max - 1)}…` : line
}

/**
 * The HTML part, made into a document for a sandboxed frame: links open in a
 * new tab (never inside the frame), and nothing loads from elsewhere (remote
 * images are not fetched, as a careful mail client does by default).
 */
export function frameDocument (html: string): string {
  const head = '<base target="_blank"><meta name="referrer" content="no-referrer">'
  if (/<head[^>]*>/i.test(html)) return html.replace(/<head[^>]*>/i, match => `${match}${head}`)
  return `<!doctype html><html><head><meta charset="utf-8">${head}</head><body>${html}</body></html>`
}
