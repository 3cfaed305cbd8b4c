import { FLOWS, outcomeOf } from './request-log.ts'
import type { Flow, RequestLog, Sample } from './request-log.ts'

/** One fault's window of the run: requests answered in [start, end) belong to it; the windows follow each other without gaps. */
export interface Phase {
  name: string
  start: number
  end: number
  /** For a backend cut. */
  cutAt?: number
  restoredAt?: number
  /** Flows that need the missing backend: for them a 503 problem with Retry-After is the right answer. */
  may503: readonly Flow[]
  /** Failed requests allowed (SIGKILL: those in flight at the kill). */
  failureBudget: number
  /** For a backend cut: each instance's `/readyz` status at the end of the outage. */
  readiness?: Record<string, number>
  /** The load was back to all-ok answers before the next fault began. */
  steady: boolean
  notes: string[]
}

export interface PhaseStats {
  sent: number
  failed: Sample[]
  unavailable: number
  /** Flows that did not answer ok while the backend was away. */
  affected: Flow[]
  /** From the backend's return to the first success of the slowest affected flow; undefined when none was affected. */
  recoveryMs?: number
  /** Affected flows without a success since the backend returned. */
  unrecovered: Flow[]
}

export function statsOf (log: RequestLog, phase: Phase): PhaseStats {
  const samples = log.endedBetween(phase.start, phase.end)
  const failed = samples.filter(s => {
    const outcome = outcomeOf(s)
    return outcome === 'failed' || (outcome === 'unavailable' && !phase.may503.includes(s.flow))
  })
  const unavailable = samples.filter(s => outcomeOf(s) === 'unavailable' && phase.may503.includes(s.flow)).length
  const stats: PhaseStats = { sent: samples.length, failed, unavailable, affected: [], unrecovered: [] }
  if (phase.cutAt === undefined || phase.restoredAt === undefined) return stats
  const restoredAt = phase.restoredAt
  stats.affected = FLOWS.filter(flow => samples.some(s => s.flow === flow && s.end >= phase.cutAt! && outcomeOf(s) !== 'ok'))
  for (const flow of stats.affected) {
    const first = log.firstOk(flow, restoredAt)
    if (!first) stats.unrecovered.push(flow)
    else stats.recoveryMs = Math.max(stats.recoveryMs ?? 0, first.end - restoredAt)
  }
  return stats
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`

/** The table of the issue: each fault with requests sent, failed and recovery time. */
export function phaseTable (log: RequestLog, phases: Phase[]): string {
  const rows = phases.map(phase => {
    const stats = statsOf(log, phase)
    const recovery = phase.restoredAt === undefined
      ? '-'
      : stats.unrecovered.length > 0 ? `never (${stats.unrecovered.join(', ')})` : stats.recoveryMs === undefined ? 'unaffected' : seconds(stats.recoveryMs)
    return [phase.name, String(stats.sent), String(stats.failed.length), String(stats.unavailable), String(phase.failureBudget), recovery, seconds(phase.end - phase.start)]
  })
  const header = ['fault', 'sent', 'failed', '503 (allowed)', 'failures allowed', 'recovery', 'window']
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map(r => r[i]!.length)))
  const line = (cells: string[]) => '| ' + cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ') + ' |'
  return [line(header), '|' + widths.map(w => '-'.repeat(w + 2)).join('|') + '|', ...rows.map(line)].join('\n')
}
