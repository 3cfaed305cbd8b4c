/**
 * The lexical side of the Go text/template subset the chart is written in:
 * text and `{{ action }}` segments (with `{{-` / `-}}` trimming applied and
 * `{{/* comments *\/}}` dropped), and the tokens of one action.
 */

export interface TextSegment { kind: 'text', text: string }
export interface ActionSegment { kind: 'action', source: string, line: number }
export type Segment = TextSegment | ActionSegment

export type Token =
  | { kind: 'string', value: string }
  | { kind: 'number', value: number }
  | { kind: 'ident', value: string }
  | { kind: 'field', path: string[] }
  | { kind: 'variable', name: string, path: string[] }
  | { kind: 'punct', value: '(' | ')' | '|' | ':=' | '=' | ',' }

export class TemplateError extends Error {
  constructor (message: string) {
    super(message)
    this.name = 'TemplateError'
  }
}

const trimEnd = (text: string) => text.replace(/\s+$/, '')
const trimStart = (text: string) => text.replace(/^\s+/, '')

/** The end of the action that opens at `from` (after `{{`): the index of its `}}`, skipping quoted strings. */
function actionEnd (source: string, from: number, line: number): number {
  let i = from
  while (i < source.length) {
    const c = source[i]
    if (c === '"' || c === '`') {
      const close = c === '"' ? /(?<!\\)(?:\\\\)*"/g : /`/g
      close.lastIndex = i + 1
      const match = close.exec(source)
      if (!match) throw new TemplateError(`line ${line}: unterminated string`)
      i = match.index + match[0].length
    } else if (source.startsWith('/*', i)) {
      const end = source.indexOf('*/', i + 2)
      if (end < 0) throw new TemplateError(`line ${line}: unterminated comment`)
      i = end + 2
    } else if (source.startsWith('}}', i)) {
      return i
    } else i++
  }
  throw new TemplateError(`line ${line}: unclosed action`)
}

export function segments (source: string): Segment[] {
  const out: Segment[] = []
  let pos = 0
  let trimNext = false
  while (pos < source.length) {
    const open = source.indexOf('{{', pos)
    let text = source.slice(pos, open < 0 ? source.length : open)
    if (trimNext) text = trimStart(text)
    if (open < 0) {
      if (text) out.push({ kind: 'text', text })
      break
    }
    const line = source.slice(0, open).split('\n').length
    const trimBefore = source.startsWith('{{- ', open) || source.startsWith('{{-\n', open)
    if (trimBefore) text = trimEnd(text)
    if (text) out.push({ kind: 'text', text })
    const start = open + (trimBefore ? 3 : 2)
    const end = actionEnd(source, start, line)
    const trimAfter = /\s-$/.test(source.slice(start, end))
    const body = source.slice(start, trimAfter ? end - 1 : end).trim()
    if (!/^\/\*[\s\S]*\*\/$/.test(body)) out.push({ kind: 'action', source: body, line })
    trimNext = trimAfter
    pos = end + 2
  }
  return out
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\' }

export function tokenize (action: string, line: number): Token[] {
  const tokens: Token[] = []
  let i = 0
  const fail = (what: string): never => { throw new TemplateError(`line ${line}: ${what} in {{ ${action} }}`) }
  while (i < action.length) {
    const rest = action.slice(i)
    const c = action[i]!
    let m: RegExpExecArray | null
    if (/\s/.test(c)) { i++; continue }
    if (c === '"') {
      let value = ''
      let j = i + 1
      for (; j < action.length && action[j] !== '"'; j++) {
        if (action[j] === '\\') value += ESCAPES[action[++j]!] ?? fail(`unknown escape \\${action[j]}`)
        else value += action[j]
      }
      tokens.push({ kind: 'string', value })
      i = j + 1
    } else if (c === '`') {
      const end = action.indexOf('`', i + 1)
      tokens.push({ kind: 'string', value: action.slice(i + 1, end) })
      i = end + 1
    } else if ((m = /^:=|^[()|=,]/.exec(rest))) {
      tokens.push({ kind: 'punct', value: m[0] as ':=' })
      i += m[0].length
    } else if ((m = /^-?\d+(\.\d+)?/.exec(rest))) {
      tokens.push({ kind: 'number', value: Number(m[0]) })
      i += m[0].length
    } else if ((m = /^\$(\w*)((?:\.\w+)*)/.exec(rest))) {
      tokens.push({ kind: 'variable', name: m[1]!, path: m[2]!.split('.').filter(Boolean) })
      i += m[0].length
    } else if ((m = /^(?:\.\w+)+|^\./.exec(rest))) {
      tokens.push({ kind: 'field', path: m[0].split('.').filter(Boolean) })
      i += m[0].length
    } else if ((m = /^[A-Za-z_]\w*/.exec(rest))) {
      tokens.push({ kind: 'ident', value: m[0] })
      i += m[0].length
    } else fail(`unexpected ${JSON.stringify(c)}`)
  }
  return tokens
}
