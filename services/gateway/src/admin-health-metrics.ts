/**
 * The few numbers the admin health view shows, read from a service's
 * Prometheus text (docs/operations.md lists the metrics): requests and 5xx
 * answers since the process started, the outbox backlog, dead letters and
 * delivery attempts by outcome.
 */

export interface ServiceNumbers {
  /** Requests answered, operations endpoints (/metrics, /readyz, /healthz) left out. */
  requests: number
  /** Of those, answered with a 5xx status. */
  errors: number
  /** Outbox rows not yet published; null for a service without an outbox. */
  outboxBacklog: number | null
  /** Outbox rows given up on; null for a service without an outbox. */
  outboxAbandoned: number | null
  /** Bus messages parked in the service's dead-letter queues; null for a service without consumers. */
  deadLetters: number | null
  /** Send attempts by outcome (notification only); null elsewhere. */
  deliveries: { sent: number, retry: number, failed: number } | null
}

interface Sample { name: string, labels: Record<string, string>, value: number }

const WANTED = ['http_requests_total', 'gatehouse_outbox_backlog', 'gatehouse_outbox_abandoned', 'gatehouse_dead_letter_messages', 'gatehouse_deliveries_total']
const OPERATIONS_ROUTES = new Set(['/metrics', '/readyz', '/healthz'])
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g

/** The samples of the wanted metrics in Prometheus text format; every other line is skipped unparsed. */
export function parseSamples (text: string): Sample[] {
  const samples: Sample[] = []
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue
    const name = WANTED.find(w => line.startsWith(w) && (line[w.length] === '{' || line[w.length] === ' '))
    if (!name) continue
    const close = line.lastIndexOf('}')
    const labels: Record<string, string> = {}
    if (line[name.length] === '{') {
      for (const [, key, raw] of line.slice(name.length + 1, close).matchAll(LABEL)) labels[key!] = raw!.replace(/\\(.)/g, (_, c: string) => c === 'n' ? '\n' : c)
    }
    const value = Number(line.slice((close === -1 ? name.length : close + 1)).trim().split(' ')[0])
    if (Number.isFinite(value)) samples.push({ name, labels, value })
  }
  return samples
}

const sum = (samples: Sample[], name: string, where: (labels: Record<string, string>) => boolean = () => true) =>
  samples.filter(s => s.name === name && where(s.labels)).reduce((total, s) => total + s.value, 0)

const has = (samples: Sample[], name: string) => samples.some(s => s.name === name)

/** One instance's numbers from its /metrics text. */
export function numbersOf (text: string): ServiceNumbers {
  const samples = parseSamples(text)
  const served = (labels: Record<string, string>) => !OPERATIONS_ROUTES.has(labels.route ?? '')
  const optional = (name: string) => has(samples, name) ? sum(samples, name) : null
  const delivered = (status: string) => sum(samples, 'gatehouse_deliveries_total', l => l.status === status)
  return {
    requests: sum(samples, 'http_requests_total', served),
    errors: sum(samples, 'http_requests_total', l => served(l) && (l.status ?? '').startsWith('5')),
    outboxBacklog: optional('gatehouse_outbox_backlog'),
    outboxAbandoned: optional('gatehouse_outbox_abandoned'),
    deadLetters: optional('gatehouse_dead_letter_messages'),
    deliveries: has(samples, 'gatehouse_deliveries_total') ? { sent: delivered('sent'), retry: delivered('retry'), failed: delivered('failed') } : null
  }
}

const addUp = (values: Array<number | null>, pick: (a: number, b: number) => number) =>
  values.reduce<number | null>((acc, v) => v === null ? acc : acc === null ? v : pick(acc, v), null)

/**
 * A service's numbers across its instances: counters add up, while the
 * outbox and dead-letter gauges read the service's shared database or broker
 * (the same on every instance), so their largest reading counts.
 */
export function combineNumbers (list: ServiceNumbers[]): ServiceNumbers | null {
  if (list.length === 0) return null
  const plus = (a: number, b: number) => a + b
  const deliveries = list.map(n => n.deliveries).filter(d => d !== null)
  return {
    requests: list.reduce((total, n) => total + n.requests, 0),
    errors: list.reduce((total, n) => total + n.errors, 0),
    outboxBacklog: addUp(list.map(n => n.outboxBacklog), Math.max),
    outboxAbandoned: addUp(list.map(n => n.outboxAbandoned), Math.max),
    deadLetters: addUp(list.map(n => n.deadLetters), Math.max),
    deliveries: deliveries.length === 0
      ? null
      : { sent: addUp(deliveries.map(d => d.sent), plus)!, retry: addUp(deliveries.map(d => d.retry), plus)!, failed: addUp(deliveries.map(d => d.failed), plus)! }
  }
}
