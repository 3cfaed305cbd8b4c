/**
 * Every metric the Grafana dashboard and the alert rules query is one the
 * services export: the whole platform runs (embedded, or on the real servers
 * when their URLs are set) and each service's /metrics is scraped (the
 * gateway's on its operations listener). A renamed or dropped metric fails
 * here instead of leaving a panel empty or an alert silent.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { usePlatform } from '../e2e/helper.ts'
import { parseExposition, seriesNames } from './exposition.ts'
import { dashboardQueries, queriedMetrics, ruleQueries } from './queried-metrics.ts'
import { scrapeAll } from './scrape.ts'

const docs = readFileSync(new URL('../../docs/operations.md', import.meta.url), 'utf8')

describe('dashboard and alert rules against the exported metrics', () => {
  const gw = usePlatform({ GATEWAY_OPS_PORT: '0' })

  it('queries at least the metrics the issue asks for', () => {
    const queried = queriedMetrics([...dashboardQueries(), ...ruleQueries()])
    for (const name of ['gatehouse_outbox_backlog', 'gatehouse_outbox_oldest_age_seconds', 'gatehouse_outbox_publish_failures_total',
      'gatehouse_dead_letter_messages', 'gatehouse_consumer_processing_seconds_bucket', 'gatehouse_consumer_retries_total',
      'gatehouse_deliveries_total', 'gatehouse_otp_sends_total', 'gatehouse_otp_validations_total', 'gatehouse_logins_total',
      'gatehouse_token_reuse_detections_total', 'gatehouse_rate_limit_rejections_total', 'gatehouse_audit_chain_broken',
      'http_requests_total', 'http_request_duration_seconds_bucket']) {
      assert.ok(queried.has(name), `${name} is on the dashboard or in a rule`)
    }
    const alerts = ruleQueries().map(q => q.where)
    for (const alert of ['GatehouseOutboxBacklogGrowing', 'GatehouseDeadLettersWaiting', 'GatehouseDeliveryFailureRatio', 'GatehouseHigh5xxRatio',
      'GatehouseHighP99Latency', 'GatehouseOtpAbuseSuspected', 'GatehouseAuditChainBroken']) {
      assert.ok(alerts.some(a => a.startsWith(`rule ${alert} `)), `alert ${alert}`)
    }
  })

  it('every metric the dashboard and the rules query is exported by a service', async () => {
    const scraped = await scrapeAll(gw.platform)
    assert.equal(scraped.size, 9, 'all nine services scraped')
    const exported = new Set<string>()
    for (const text of scraped.values()) for (const name of seriesNames(parseExposition(text).families)) exported.add(name)
    const missing = [...queriedMetrics([...dashboardQueries(), ...ruleQueries()])]
      .filter(([name]) => !exported.has(name))
      .map(([name, where]) => `${name} (${[...new Set(where)].join(', ')})`)
    assert.deepEqual(missing, [], 'queried but exported by no service')
  })

  it('every gatehouse_* metric is documented, labelled with its service and never with a person, a destination or a raw path', async () => {
    const scraped = await scrapeAll(gw.platform)
    const forbidden = new Set(['user', 'userId', 'user_id', 'email', 'phone', 'destination', 'to', 'path', 'url', 'ip'])
    for (const [service, text] of scraped) {
      const exposition = parseExposition(text)
      for (const sample of exposition.samples.filter(s => s.name.startsWith('gatehouse_'))) {
        const bad = Object.keys(sample.labels).filter(l => forbidden.has(l))
        assert.deepEqual(bad, [], `${service}: ${sample.name} has no label naming a person, a destination or a raw path`)
        assert.equal(sample.labels.service, service, `${sample.name} carries its service`)
      }
      for (const [family] of exposition.families) {
        if (family.startsWith('gatehouse_')) assert.ok(docs.includes(`\`${family}\``), `${family} (${service}) is in the metrics table of docs/operations.md`)
      }
    }
  })
})
