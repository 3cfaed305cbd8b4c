/**
 * Parses the Go text/template subset into a tree: text, output actions,
 * if / else if / else, range (with `$i, $v :=`), with, define, variable
 * declarations and assignments, pipelines with `|` and parentheses.
 */
import { TemplateError, segments, tokenize } from './template-lexer.ts'
import type { Segment, Token } from './template-lexer.ts'

export type Operand =
  | { kind: 'literal', value: unknown }
  | { kind: 'field', path: string[] }
  | { kind: 'variable', name: string, path: string[] }
  | { kind: 'function', name: string }
  | { kind: 'pipeline', pipeline: Pipeline }

export interface Pipeline {
  /** Variables declared (`:=`) or assigned (`=`) with the pipeline's value. */
  declare: string[]
  assign: boolean
  commands: Operand[][]
  line: number
}

export type Node =
  | { kind: 'text', text: string }
  | { kind: 'output', pipeline: Pipeline }
  | { kind: 'if' | 'with', pipeline: Pipeline, then: Node[], otherwise: Node[] }
  | { kind: 'range', pipeline: Pipeline, body: Node[], otherwise: Node[] }
  | { kind: 'template', name: string, pipeline: Pipeline | undefined }

export interface Parsed {
  nodes: Node[]
  defines: Map<string, Node[]>
}

function parsePipeline (tokens: Token[], line: number): Pipeline {
  let pos = 0
  const declare: string[] = []
  let assign = false
  const declEnd = tokens.findIndex(t => t.kind === 'punct' && (t.value === ':=' || t.value === '='))
  if (declEnd > 0 && tokens.slice(0, declEnd).every(t => t.kind === 'variable' || (t.kind === 'punct' && t.value === ','))) {
    for (const t of tokens.slice(0, declEnd)) if (t.kind === 'variable') declare.push(t.name)
    assign = (tokens[declEnd] as { value: string }).value === '='
    pos = declEnd + 1
  }
  const fail = (what: string): never => { throw new TemplateError(`line ${line}: ${what}`) }

  function commands (stopAtParen: boolean): Operand[][] {
    const list: Operand[][] = [[]]
    while (pos < tokens.length) {
      const t = tokens[pos++]!
      const current = list[list.length - 1]!
      if (t.kind === 'punct') {
        if (t.value === '|') list.push([])
        else if (t.value === '(') current.push({ kind: 'pipeline', pipeline: { declare: [], assign: false, commands: commands(true), line } })
        else if (t.value === ')') {
          if (!stopAtParen) fail('unexpected )')
          return list
        } else fail(`unexpected ${t.value}`)
      } else if (t.kind === 'string' || t.kind === 'number') current.push({ kind: 'literal', value: t.value })
      else if (t.kind === 'ident') {
        if (t.value === 'true' || t.value === 'false') current.push({ kind: 'literal', value: t.value === 'true' })
        else if (t.value === 'nil') current.push({ kind: 'literal', value: undefined })
        else current.push({ kind: 'function', name: t.value })
      } else current.push(t)
    }
    if (stopAtParen) fail('missing )')
    return list
  }
  const parsed = commands(false)
  if (parsed.some(c => c.length === 0)) fail('empty command')
  return { declare, assign, commands: parsed, line }
}

interface Frame { keyword: 'root' | 'if' | 'with' | 'range' | 'define', node?: Node, nodes: Node[], name?: string, inElse?: boolean }

const keywordOf = (source: string) => /^(if|else|end|range|with|define|template)\b/.exec(source)?.[1]

/** Parses a template file; `define` blocks go to `defines` (shared across the chart's files). */
export function parse (source: string, defines = new Map<string, Node[]>()): Parsed {
  const root: Frame = { keyword: 'root', nodes: [] }
  const stack: Frame[] = [root]
  const top = () => stack[stack.length - 1]!
  const open = (segment: { source: string, line: number }, keyword: 'if' | 'with' | 'range') => {
    const pipeline = parsePipeline(tokenize(segment.source.slice(keyword.length), segment.line), segment.line)
    const node: Node = keyword === 'range'
      ? { kind: 'range', pipeline, body: [], otherwise: [] }
      : { kind: keyword, pipeline, then: [], otherwise: [] }
    top().nodes.push(node)
    stack.push({ keyword, node, nodes: keyword === 'range' ? (node as { body: Node[] }).body : (node as { then: Node[] }).then })
  }
  for (const segment of segments(source) as Segment[]) {
    if (segment.kind === 'text') { top().nodes.push({ kind: 'text', text: segment.text }); continue }
    const { source: action, line } = segment
    const keyword = keywordOf(action)
    const fail = (what: string): never => { throw new TemplateError(`line ${line}: ${what}`) }
    if (keyword === 'if' || keyword === 'with' || keyword === 'range') open(segment, keyword)
    else if (keyword === 'else') {
      const frame = top()
      if (!frame.node || frame.keyword === 'define' || frame.inElse) fail('else without if, with or range')
      const node = frame.node as { otherwise: Node[] }
      const chained = /^else\s+(if|with)\b/.exec(action)?.[1] as 'if' | 'with' | undefined
      stack.pop()
      stack.push({ ...frame, nodes: node.otherwise, inElse: true })
      if (chained) {
        // `else if x` is `else` holding an `if x` that the same `end` closes.
        open({ source: action.slice(action.indexOf(chained)), line }, chained)
        top().name = 'chained'
      }
    } else if (keyword === 'end') {
      if (stack.length === 1) fail('end without a block')
      let frame = stack.pop()!
      while (frame.name === 'chained') frame = stack.pop()!
      if (frame.keyword === 'define') defines.set(frame.name!, frame.nodes)
    } else if (keyword === 'define') {
      const name = /^define\s+"([^"]+)"$/.exec(action)?.[1] ?? fail('define needs a quoted name')
      stack.push({ keyword: 'define', nodes: [], name })
    } else if (keyword === 'template') {
      const match = /^template\s+"([^"]+)"\s*(.*)$/.exec(action) ?? fail('template needs a quoted name')
      const pipeline = match[2] ? parsePipeline(tokenize(match[2], line), line) : undefined
      top().nodes.push({ kind: 'template', name: match[1]!, pipeline })
    } else {
      top().nodes.push({ kind: 'output', pipeline: parsePipeline(tokenize(action, line), line) })
    }
  }
  if (stack.length !== 1) throw new TemplateError(`unclosed ${top().keyword} block`)
  return { nodes: root.nodes, defines }
}
