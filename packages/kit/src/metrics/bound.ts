/** A metric whose children are bound by label values in `labelNames` order (a prom-client Counter, Gauge or Histogram). */
interface Labelled<C> {
  labels(...values: string[]): C
}

/**
 * The children of a labelled metric, bound once per label combination and
 * kept by their joined values: `inc({ ... })` or `labels(...)` make
 * prom-client build, sort and hash the labels on every call, which a
 * per-request metric pays on the hot path. Only for small, closed label sets:
 * every combination seen is kept (as prom-client keeps its series anyway).
 */
export function boundChildren<C> (metric: Labelled<C>): (...values: string[]) => C {
  const children = new Map<string, C>()
  return (...values) => {
    const key = values.join('\u0000')
    let child = children.get(key)
    if (child === undefined) {
      child = metric.labels(...values)
      children.set(key, child)
    }
    return child
  }
}
