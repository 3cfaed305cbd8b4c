import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { metricNames } from './promql-names.ts'
import { parseExposition, seriesNames, total } from './exposition.ts'

describe('the PromQL metric-name tokenizer', () => {
  it('finds the series of an expression and nothing else', () => {
    assert.deepEqual(metricNames('histogram_quantile(0.99, sum by (service, le) (rate(http_request_duration_seconds_bucket{service=~"$service"}[$__rate_interval])))'),
      ['http_request_duration_seconds_bucket'])
    assert.deepEqual(metricNames('sum by (service) (rate(a_total{status=~"5.."}[5m])) / sum by (service) (rate(b_total[5m])) > 0.02 and on (service) c > 1e3'),
      ['a_total', 'b_total', 'c'])
    assert.deepEqual(metricNames('time() - max(x_seconds) > 3 * 3600 or sum(increase(y_total[2h] offset 5m)) > 0 unless z'), ['x_seconds', 'y_total', 'z'])
    assert.deepEqual(metricNames('label_replace(up, "dst", "$1", "src", "(.*)") * on (job) group_left (version) build_info'), ['up', 'build_info'])
  })
})

describe('the exposition parser', () => {
  it('reads families, histogram series and samples', () => {
    const text = [
      '# HELP h help', '# TYPE h histogram', 'h_bucket{le="1",service="a"} 2', 'h_sum{service="a"} 0.5', 'h_count{service="a"} 2',
      '# HELP c help', '# TYPE c_total counter', 'c_total{x="1",service="a"} 3', 'c_total{x="2",service="a"} 4'
    ].join('\n')
    const e = parseExposition(text)
    assert.deepEqual([...seriesNames(e.families)].sort(), ['c_total', 'h', 'h_bucket', 'h_count', 'h_sum'])
    assert.equal(total(e, 'c_total'), 7)
    assert.equal(total(e, 'c_total', { x: '2' }), 4)
  })
})
