/** How a pool chooses among its instances that can take traffic. */
export const STRATEGIES = ['round-robin', 'least-connections', 'weighted'] as const
export type Strategy = typeof STRATEGIES[number]

export const isStrategy = (value: string): value is Strategy => (STRATEGIES as readonly string[]).includes(value)

/** What a strategy reads (and, for weighted, keeps) per instance. */
export interface Candidate {
  weight: number
  /** Requests sent to it and not yet ended (see `InstancePool.begin`). */
  inFlight: number
  /** Smooth weighted round-robin's running score. */
  current: number
}

/**
 * Picks one of `candidates` (never empty), in configuration order. `start`
 * rotates the tie-breaking of least-connections, so idle instances still take
 * turns; round-robin is the pool's own rotation and does not come here.
 */
export function choose (strategy: Exclude<Strategy, 'round-robin'>, candidates: readonly Candidate[], start: number): number {
  return strategy === 'weighted' ? smoothWeighted(candidates) : leastConnections(candidates, start)
}

/**
 * nginx's smooth weighted round-robin: deterministic, and it interleaves
 * (weights 3:1 give a a b a, not a a a b).
 */
function smoothWeighted (candidates: readonly Candidate[]): number {
  let total = 0
  let best = 0
  for (let i = 0; i < candidates.length; i++) {
    const c = candidates[i]!
    c.current += c.weight
    total += c.weight
    if (c.current > candidates[best]!.current) best = i
  }
  candidates[best]!.current -= total
  return best
}

/** Fewest requests in flight for its weight; ties go to the first from `start` on. */
function leastConnections (candidates: readonly Candidate[], start: number): number {
  let best = -1
  let bestLoad = Infinity
  for (let n = 0; n < candidates.length; n++) {
    const i = (start + n) % candidates.length
    const c = candidates[i]!
    const load = c.inFlight / c.weight
    if (load < bestLoad) {
      best = i
      bestLoad = load
    }
  }
  return best
}
