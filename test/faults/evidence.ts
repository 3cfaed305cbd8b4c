import type { createOutputLog } from './output-log.ts'
import type { Phase, PhaseStats } from './phases.ts'
import { summarize } from './request-log.ts'

type OutputLog = ReturnType<typeof createOutputLog>

const TROUBLE = /error|unhandled|exception|ECONN|EPIPE|timed out|exited|closed/i
const TRACED_REQUESTS = 5
const NEARBY_MS = 2000
const LINE_CHARS = 400
const MAX_LINES = 25

const timeOf = (line: string) => Date.parse(line.slice(0, 24))
// One line per service and message: an outage repeats the same complaint hundreds of times.
const gist = (line: string) => `${/ (\S+) \| /.exec(line)?.[1]} ${/"(?:message|msg)":"([^"]{0,80})/.exec(line)?.[1] ?? line.slice(30, 110)}`

/**
 * What an assertion message shows about a phase: its failures grouped, the service
 * output naming the first failed requests, and distinct complaints around them.
 */
export function evidence (phase: Phase, stats: PhaseStats, output: OutputLog): string {
  const traced = stats.failed.slice(0, TRACED_REQUESTS)
  const ids = traced.map(s => s.requestId).filter((id): id is string => Boolean(id))
  const byRequest = ids.length ? output.grep(new RegExp(ids.join('|')), MAX_LINES) : []
  const seen = new Set<string>()
  const nearby = output.grep(TROUBLE, 20_000)
    .filter(line => traced.some(s => Math.abs(timeOf(line) - s.start) <= NEARBY_MS))
    .filter(line => { const key = gist(line); return !seen.has(key) && Boolean(seen.add(key)) })
  const lines = [...byRequest, ...nearby.filter(l => !byRequest.includes(l))].slice(0, MAX_LINES).map(l => `    ${l.slice(0, LINE_CHARS)}`)
  return [
    `${phase.name}: ${stats.failed.length} failed of ${stats.sent}${phase.notes.length ? ` (${phase.notes.join('; ')})` : ''}`,
    ...summarize(stats.failed).map(l => `  ${l}`),
    ...(lines.length ? ['  service output naming the first failed requests, then distinct complaints within 2 s of them:', ...lines] : [])
  ].join('\n')
}
