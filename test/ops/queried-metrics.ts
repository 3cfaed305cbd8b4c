import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { metricNames } from './promql-names.ts'

const root = new URL('../../', import.meta.url)
export const DASHBOARD = new URL('deploy/grafana/gatehouse.json', root)
export const RULES = new URL('deploy/helm/gatehouse/files/prometheus-rules.yaml', root)

export interface Query {
  /** Where it is: the panel title or the alert name. */
  where: string
  expr: string
}

interface Panel { title?: string, targets?: Array<{ expr?: string }>, panels?: Panel[] }
interface Variable { name: string, query?: string | { query?: string }, definition?: string }

/** Every PromQL expression of the dashboard's panels, and the metric of each `label_values(metric, label)` variable. */
export function dashboardQueries (): Query[] {
  const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as { panels: Panel[], templating: { list: Variable[] } }
  const queries: Query[] = []
  const visit = (panels: Panel[]) => {
    for (const panel of panels) {
      for (const target of panel.targets ?? []) if (target.expr) queries.push({ where: `panel "${panel.title}"`, expr: target.expr })
      visit(panel.panels ?? [])
    }
  }
  visit(dashboard.panels)
  for (const variable of dashboard.templating.list) {
    const text = typeof variable.query === 'string' ? variable.query : variable.query?.query
    const metric = /label_values\(\s*([a-zA-Z_:][a-zA-Z0-9_:]*)/.exec(text ?? '')?.[1]
    if (metric) queries.push({ where: `variable $${variable.name}`, expr: metric })
  }
  return queries
}

export function ruleQueries (): Query[] {
  const rules = parse(readFileSync(RULES, 'utf8')) as { groups: Array<{ name: string, rules: Array<{ alert?: string, record?: string, expr: string }> }> }
  return rules.groups.flatMap(g => g.rules.map(r => ({ where: `rule ${r.alert ?? r.record} (${g.name})`, expr: String(r.expr) })))
}

/** Metric name -> where it is queried. */
export function queriedMetrics (queries: Query[]): Map<string, string[]> {
  const byName = new Map<string, string[]>()
  for (const q of queries) {
    for (const name of metricNames(q.expr)) byName.set(name, [...(byName.get(name) ?? []), q.where])
  }
  return byName
}
