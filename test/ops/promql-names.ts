/**
 * The metric names a PromQL expression reads. A small tokenizer, not a parser:
 * strings, label matchers, grouping label lists, ranges and Grafana variables
 * are removed; of the identifiers left, those called like functions and the
 * language's keywords are dropped; what remains names a series.
 */
const KEYWORDS = new Set([
  'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'and', 'or', 'unless', 'offset', 'inf', 'nan', 'atan2'
])
const GROUPING = /\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g

export function metricNames (expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""')
    .replace(/\$\{[^}]*\}|\$[a-zA-Z_][a-zA-Z0-9_]*/g, ' ')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(GROUPING, ' ')
  const names = new Set<string>()
  for (const m of stripped.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const name = m[0]
    const after = stripped.slice(m.index! + name.length).trimStart()
    if (after.startsWith('(') || KEYWORDS.has(name.toLowerCase())) continue
    // A number's exponent (1e3) or a duration unit (5m) is never preceded by a letter-free token start in a name.
    const before = stripped[m.index! - 1]
    if (before !== undefined && /[0-9.]/.test(before)) continue
    names.add(name)
  }
  return [...names]
}
