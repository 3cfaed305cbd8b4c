/**
 * Renders a Helm chart without the helm binary, as `helm template` would for
 * the template subset scripts/helm/template-*.ts implements: values.yaml
 * merged with the given values files (maps merge, anything else replaces,
 * null removes a key), the `_*.tpl` helpers shared by every template,
 * `.Release`, `.Chart`, `.Files.Get` and `.Capabilities.KubeVersion`.
 */
import { readFileSync, readdirSync } from 'node:fs'
import { join, relative } from 'node:path'
import { parse as parseYaml, parseAllDocuments } from 'yaml'
import { TemplateError } from './template-lexer.ts'
import { parse } from './template-parser.ts'
import type { Node } from './template-parser.ts'
import { createExecutor, isMap } from './template-exec.ts'

export interface RenderOptions {
  /** Values files applied over the chart's values.yaml, in order. */
  valuesFiles?: string[]
  /** Values applied last (like --set). */
  values?: Record<string, unknown>
  releaseName?: string
  namespace?: string
}

export interface RenderedObject {
  /** The template file the object came from, relative to the chart. */
  source: string
  object: Record<string, unknown> & { apiVersion: string, kind: string, metadata: { name: string, [key: string]: unknown } }
}

export interface RenderedChart {
  objects: RenderedObject[]
  /** Every document, as `helm template` prints them. */
  manifest: string
  values: Record<string, unknown>
}

export function mergeValues (base: unknown, override: unknown): unknown {
  if (!isMap(base) || !isMap(override)) return override
  const out: Record<string, unknown> = { ...base }
  for (const [key, value] of Object.entries(override)) {
    if (value === null) delete out[key]
    else out[key] = mergeValues(base[key], value)
  }
  return out
}

// Helm and the Kubernetes API read YAML 1.1 (go-yaml): `yes` and `off` are booleans there.
const YAML_11 = { version: '1.1' } as const
const readYaml = (path: string): Record<string, unknown> => (parseYaml(readFileSync(path, 'utf8'), YAML_11) ?? {}) as Record<string, unknown>

function chartFiles (chartDir: string) {
  return {
    Get: (path: unknown) => {
      try {
        return readFileSync(join(chartDir, String(path)), 'utf8')
      } catch {
        return ''
      }
    }
  }
}

export function renderChart (chartDir: string, options: RenderOptions = {}): RenderedChart {
  const chart = readYaml(join(chartDir, 'Chart.yaml'))
  let values = readYaml(join(chartDir, 'values.yaml'))
  for (const file of options.valuesFiles ?? []) values = mergeValues(values, readYaml(file)) as Record<string, unknown>
  if (options.values) values = mergeValues(values, options.values) as Record<string, unknown>

  const templatesDir = join(chartDir, 'templates')
  const files = readdirSync(templatesDir).filter(f => /\.(ya?ml|tpl)$/.test(f)).sort()
  const defines = new Map<string, Node[]>()
  const parsed = new Map<string, Node[]>()
  for (const file of files) {
    try {
      const nodes = parse(readFileSync(join(templatesDir, file), 'utf8'), defines).nodes
      parsed.set(file, nodes)
      // Helm names every file a template too: include (print $.Template.BasePath "/configmap.yaml") $
      defines.set(`${String(chart.name)}/templates/${file}`, nodes)
    } catch (err) {
      throw new TemplateError(`${file}: ${(err as Error).message}`)
    }
  }

  const capitalised = Object.fromEntries(Object.entries(chart).map(([k, v]) => [k[0]!.toUpperCase() + k.slice(1), v]))
  const root = {
    Values: values,
    Chart: capitalised,
    Release: { Name: options.releaseName ?? 'gatehouse', Namespace: options.namespace ?? 'gatehouse', Service: 'Helm', IsInstall: true, IsUpgrade: false, Revision: 1 },
    Files: chartFiles(chartDir),
    Capabilities: { KubeVersion: { Version: 'v1.30.0', Major: '1', Minor: '30' } },
    Template: { Name: '', BasePath: `${String(chart.name)}/templates` }
  }
  let includeDepth = 0
  const execute = createExecutor({
    defines,
    include (name, dot) {
      const body = defines.get(name)
      if (!body) throw new TemplateError(`no template "${name}"`)
      if (++includeDepth > 100) throw new TemplateError(`include "${name}": too deep`)
      try {
        return execute(body, dot)
      } finally {
        includeDepth--
      }
    }
  })

  const documents: string[] = []
  const objects: RenderedObject[] = []
  for (const file of files.filter(f => !f.startsWith('_') && !f.endsWith('.tpl'))) {
    const source = `${relative(join(chartDir, '..'), templatesDir)}/${file}`
    let text: string
    try {
      text = execute(parsed.get(file)!, { ...root, Template: { ...root.Template, Name: source } })
    } catch (err) {
      throw new TemplateError(`${source}: ${(err as Error).message}`)
    }
    for (const doc of parseAllDocuments(text, YAML_11)) {
      if (doc.errors.length > 0) throw new TemplateError(`${source}: rendered YAML is invalid: ${doc.errors[0]!.message}\n${text}`)
      const object = doc.toJS() as RenderedObject['object'] | null
      if (!object) continue
      objects.push({ source, object })
      documents.push(`---\n# Source: ${source}\n${doc.toString().replace(/^---\n/, '').replace(/\n+$/, '')}\n`)
    }
  }
  return { objects, manifest: documents.join(''), values }
}
