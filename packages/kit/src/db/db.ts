export interface QueryResult<R> {
  rows: R[]
  rowCount: number
}

export interface Queryable {
  /** Runs one parameterised statement ($1, $2, ...). int8 and numeric come back as strings on both adapters: cast to int in SQL when you want a number. */
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<R>>
}

export interface Tx extends Queryable {
  /** Runs several statements without parameters. */
  exec(sql: string): Promise<void>
  /** Runs `fn` after the transaction commits (never on rollback). */
  onCommit(fn: () => void): void
}

/** A service's view of its database: every statement runs with `search_path` set to the service's own schema. */
export interface Db extends Queryable {
  readonly kind: 'postgres' | 'pglite'
  readonly schema: string
  /** Runs `fn` in a transaction; commits when it resolves, rolls back when it throws. */
  tx<T>(fn: (tx: Tx) => Promise<T>): Promise<T>
  /** Runs several statements without parameters (migrations). */
  exec(sql: string): Promise<void>
  ping(): Promise<void>
  close(): Promise<void>
}

export const UNIQUE_VIOLATION = '23505'

/** The constraint name of a unique violation, or undefined for any other error. */
export function uniqueViolation (err: unknown): string | undefined {
  const e = err as { code?: string, constraint?: string, message?: string }
  if (e?.code !== UNIQUE_VIOLATION) return undefined
  return e.constraint ?? /constraint "([^"]+)"/.exec(e.message ?? '')?.[1] ?? 'unknown'
}

export function quoteIdent (name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`invalid identifier ${JSON.stringify(name)}`)
  return `"${name}"`
}

export function runCommitHooks (hooks: Array<() => void>): void {
  for (const hook of hooks) {
    try { hook() } catch { /* a commit hook must not turn a committed transaction into an error */ }
  }
}
