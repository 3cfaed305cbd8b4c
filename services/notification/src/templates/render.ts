/**
 * A small Mustache subset for message templates:
 *   {{name}}          a value (HTML-escaped when rendering HTML)
 *   {{{name}}}        a value, never escaped (for markup the code built, such as the layout's body)
 *   {{#name}}…{{/name}}  repeated for each item of a list (its fields in scope), once for any other truthy value
 *   {{^name}}…{{/name}}  when the value is missing, false, empty or an empty list
 * A section tag alone on its line takes the line with it, so list templates
 * leave no blank lines behind. A missing value renders as nothing.
 */

export type View = Record<string, unknown>

type Node =
  | { kind: 'text', text: string }
  | { kind: 'value', name: string, raw: boolean }
  | { kind: 'section', name: string, inverted: boolean, children: Node[] }

const TAG = /\{\{(\{)?\s*([#^/]?)\s*([\w.]+)\s*\}?\}\}/g

function parse (template: string): Node[] {
  const source = template.replace(/^[ \t]*(\{\{\s*[#^/][^}]*\}\})[ \t]*\r?\n/gm, '$1')
  const root: Node[] = []
  const stack: Array<{ name: string, children: Node[] }> = [{ name: '', children: root }]
  let last = 0
  for (const match of source.matchAll(TAG)) {
    const [whole, triple, sigil, name] = match as unknown as [string, string | undefined, string, string]
    const children = stack[stack.length - 1]!.children
    if (match.index > last) children.push({ kind: 'text', text: source.slice(last, match.index) })
    last = match.index + whole.length
    if (sigil === '#' || sigil === '^') {
      const section: Node = { kind: 'section', name, inverted: sigil === '^', children: [] }
      children.push(section)
      stack.push({ name, children: section.children })
    } else if (sigil === '/') {
      if (stack.length === 1 || stack[stack.length - 1]!.name !== name) throw new Error(`template: unexpected {{/${name}}}`)
      stack.pop()
    } else {
      children.push({ kind: 'value', name, raw: triple === '{' })
    }
  }
  if (stack.length > 1) throw new Error(`template: {{#${stack[stack.length - 1]!.name}}} is not closed`)
  if (last < source.length) root.push({ kind: 'text', text: source.slice(last) })
  return root
}

export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`)

function lookup (scopes: unknown[], name: string): unknown {
  const [head, ...rest] = name.split('.')
  for (let i = scopes.length - 1; i >= 0; i--) {
    const scope = scopes[i]
    if (scope !== null && typeof scope === 'object' && head! in scope) {
      return rest.reduce<unknown>((value, key) => (value !== null && typeof value === 'object' ? (value as View)[key] : undefined), (scope as View)[head!])
    }
  }
  return undefined
}

const isEmpty = (value: unknown) => value === undefined || value === null || value === false || value === '' || (Array.isArray(value) && value.length === 0)

function renderNodes (nodes: Node[], scopes: unknown[], html: boolean): string {
  let out = ''
  for (const node of nodes) {
    if (node.kind === 'text') {
      out += node.text
    } else if (node.kind === 'value') {
      const value = lookup(scopes, node.name)
      const text = value === undefined || value === null ? '' : String(value)
      out += html && !node.raw ? escapeHtml(text) : text
    } else {
      const value = lookup(scopes, node.name)
      if (node.inverted) {
        if (isEmpty(value)) out += renderNodes(node.children, scopes, html)
      } else if (Array.isArray(value)) {
        for (const item of value) out += renderNodes(node.children, [...scopes, item], html)
      } else if (!isEmpty(value)) {
        out += renderNodes(node.children, [...scopes, value], html)
      }
    }
  }
  return out
}

export interface CompiledTemplate {
  render(view: View, options?: { html?: boolean }): string
}

/** Parses once; throws on unbalanced sections, so a broken template file fails at start-up. */
export function compileTemplate (template: string): CompiledTemplate {
  const nodes = parse(template)
  return { render: (view, options = {}) => renderNodes(nodes, [view], options.html === true) }
}
