/** docs/operations.md explains every alert the rules file defines, and the dashboard reads the data source it declares. */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { DASHBOARD, RULES } from './queried-metrics.ts'

const docs = readFileSync(new URL('../../docs/operations.md', import.meta.url), 'utf8')

describe('operations documentation, rules and dashboard', () => {
  it('every alert has a severity, a runbook link and its row in docs/operations.md', () => {
    const rules = parse(readFileSync(RULES, 'utf8')) as { groups: Array<{ rules: Array<{ alert: string, labels?: Record<string, string>, annotations?: Record<string, string> }> }> }
    const alerts = rules.groups.flatMap(g => g.rules)
    assert.ok(alerts.length >= 7)
    for (const rule of alerts) {
      const anchor = rule.alert.toLowerCase()
      assert.match(rule.labels?.severity ?? '', /^(critical|warning|info)$/, `${rule.alert} severity`)
      assert.equal(rule.annotations?.runbook, `docs/operations.md#${anchor}`, `${rule.alert} runbook`)
      assert.ok(docs.includes(`<a id="${anchor}"></a>\`${rule.alert}\``), `${rule.alert} is explained in docs/operations.md`)
    }
  })

  it('every panel and variable of the dashboard reads the Prometheus data source variable', () => {
    const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as { templating: { list: Array<{ name: string, type: string, query?: unknown }> }, panels: Array<{ type: string, title: string, datasource?: { uid: string }, targets?: unknown[] }> }
    assert.ok(dashboard.templating.list.some(v => v.name === 'datasource' && v.type === 'datasource' && v.query === 'prometheus'))
    for (const panel of dashboard.panels.filter(p => p.type !== 'row')) {
      // eslint-disable-next-line no-template-curly-in-string -- Grafana's variable syntax, not a template string
      assert.equal(panel.datasource?.uid, '${datasource}', `panel "${panel.title}"`)
      assert.ok((panel.targets ?? []).length > 0, `panel "${panel.title}" queries something`)
    }
  })
})
