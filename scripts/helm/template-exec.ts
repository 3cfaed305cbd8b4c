/**
 * Runs a parsed template against data, as Go's text/template does for the
 * constructs the parser knows: truth is Go's (false, 0, nil, "" and empty
 * lists and maps are false), maps range in key order, `$` is the root, a
 * missing map key is nil and printed as nothing (Helm's "<no value>" rule),
 * a field of nil is an error.
 */
import { TemplateError } from './template-lexer.ts'
import type { Node, Operand, Pipeline } from './template-parser.ts'
import { FUNCTIONS } from './template-functions.ts'

type Scope = Map<string, unknown>[]

export interface Runtime {
  defines: Map<string, Node[]>
  /** Renders a named template (`include`). */
  include(name: string, dot: unknown): string
}

export const isMap = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

export function truthy (value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === '') return false
  if (Array.isArray(value)) return value.length > 0
  if (isMap(value)) return Object.keys(value).length > 0
  return true
}

export function printValue (value: unknown, line: number): string {
  if (value === undefined || value === null) return ''
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  throw new TemplateError(`line ${line}: a list or map printed as is (pipe it to toYaml or toJson)`)
}

function lookup (scope: Scope, name: string, line: number): unknown {
  for (let i = scope.length - 1; i >= 0; i--) if (scope[i]!.has(name)) return scope[i]!.get(name)
  throw new TemplateError(`line ${line}: undefined variable $${name}`)
}

function field (value: unknown, path: string[], line: number, args: unknown[] = []): unknown {
  let current = value
  path.forEach((name, i) => {
    if (current === undefined || current === null) {
      throw new TemplateError(`line ${line}: nil pointer evaluating .${path.slice(0, i + 1).join('.')}`)
    }
    if (!isMap(current)) throw new TemplateError(`line ${line}: can't evaluate field ${name} in ${typeof current}`)
    current = Object.hasOwn(current, name) ? current[name] : undefined
    if (typeof current === 'function' && i === path.length - 1) current = (current as (...a: unknown[]) => unknown)(...args)
  })
  return current
}

export function createExecutor (runtime: Runtime) {
  function operand (op: Operand, dot: unknown, scope: Scope, line: number): unknown {
    switch (op.kind) {
      case 'literal': return op.value
      case 'field': return field(dot, op.path, line)
      case 'variable': return field(op.name === '' ? scope[0]!.get('') : lookup(scope, op.name, line), op.path, line)
      case 'pipeline': return pipeline(op.pipeline, dot, scope)
      case 'function': return command([op], dot, scope, undefined, false, line)
    }
  }

  function command (ops: Operand[], dot: unknown, scope: Scope, piped: unknown, hasPiped: boolean, line: number): unknown {
    const [head, ...rest] = ops
    if (head!.kind === 'function') {
      const name = head!.name
      // and / or stop at the first operand that decides, as Go's do.
      if (name === 'and' || name === 'or') {
        const values = rest.map(op => () => operand(op, dot, scope, line))
        if (hasPiped) values.push(() => piped)
        let last: unknown
        for (const value of values) {
          last = value()
          if (truthy(last) === (name === 'or')) return last
        }
        return last
      }
      const args = rest.map(op => operand(op, dot, scope, line))
      if (hasPiped) args.push(piped)
      if (name === 'include') return runtime.include(String(args[0]), args[1])
      const fn = FUNCTIONS[name]
      if (!fn) throw new TemplateError(`line ${line}: function "${name}" not defined`)
      try {
        return fn(...args)
      } catch (err) {
        if (err instanceof TemplateError) throw err
        throw new TemplateError(`line ${line}: ${name}: ${(err as Error).message}`)
      }
    }
    if (rest.length > 0 || hasPiped) {
      // `.Files.Get "path"`: the field is a method called with the arguments.
      if (head!.kind !== 'field' && head!.kind !== 'variable') throw new TemplateError(`line ${line}: can't give arguments to a non-function`)
      const args = rest.map(op => operand(op, dot, scope, line))
      if (hasPiped) args.push(piped)
      const base = head!.kind === 'field' ? dot : lookup(scope, head!.name, line)
      return field(base, head!.path, line, args)
    }
    return operand(head!, dot, scope, line)
  }

  function pipeline (p: Pipeline, dot: unknown, scope: Scope): unknown {
    let value: unknown
    p.commands.forEach((ops, i) => { value = command(ops, dot, scope, value, i > 0, p.line) })
    if (p.declare.length === 1) {
      if (p.assign) {
        const owner = [...scope].reverse().find(s => s.has(p.declare[0]!))
        if (!owner) throw new TemplateError(`line ${p.line}: undefined variable $${p.declare[0]}`)
        owner.set(p.declare[0]!, value)
      } else scope[scope.length - 1]!.set(p.declare[0]!, value)
    }
    return value
  }

  function entries (value: unknown, line: number): Array<[unknown, unknown]> {
    if (value === undefined || value === null) return []
    if (Array.isArray(value)) return value.map((v, i) => [i, v])
    if (isMap(value)) return Object.keys(value).sort().map(k => [k, value[k]])
    if (typeof value === 'number') return Array.from({ length: value }, (_, i) => [i, i])
    throw new TemplateError(`line ${line}: range can't iterate over ${typeof value}`)
  }

  function run (nodes: Node[], dot: unknown, scope: Scope, out: string[]): void {
    for (const node of nodes) {
      switch (node.kind) {
        case 'text': out.push(node.text); break
        case 'output': {
          const value = pipeline(node.pipeline, dot, scope)
          if (node.pipeline.declare.length === 0) out.push(printValue(value, node.pipeline.line))
          break
        }
        case 'if':
        case 'with': {
          const inner: Scope = [...scope, new Map()]
          const value = pipeline(node.pipeline, dot, inner)
          if (truthy(value)) run(node.then, node.kind === 'with' ? value : dot, inner, out)
          else run(node.otherwise, dot, [...scope, new Map()], out)
          break
        }
        case 'range': {
          const { declare } = node.pipeline
          const value = pipeline({ ...node.pipeline, declare: [] }, dot, scope)
          const items = entries(value, node.pipeline.line)
          if (items.length === 0) run(node.otherwise, dot, [...scope, new Map()], out)
          for (const [key, item] of items) {
            const vars = new Map<string, unknown>()
            if (declare.length === 1) vars.set(declare[0]!, item)
            if (declare.length === 2) { vars.set(declare[0]!, key); vars.set(declare[1]!, item) }
            run(node.body, item, [...scope, vars], out)
          }
          break
        }
        case 'template': {
          const body = runtime.defines.get(node.name)
          if (!body) throw new TemplateError(`no template "${node.name}"`)
          const value = node.pipeline ? pipeline(node.pipeline, dot, scope) : undefined
          run(body, value, [new Map([['', value]])], out)
          break
        }
      }
    }
  }

  /** Renders `nodes` with `dot` as both `.` and `$`. */
  return function execute (nodes: Node[], dot: unknown): string {
    const out: string[] = []
    run(nodes, dot, [new Map([['', dot]])], out)
    return out.join('')
  }
}
