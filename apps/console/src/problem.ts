/** An RFC 9457 problem as the API answers it, or one the console makes for a failure that never got an answer. */
export interface Problem {
  status: number
  code: string
  title: string
  detail?: string | undefined
  requestId?: string | undefined
  errors?: Array<{ path: string, message: string }> | undefined
  /** Seconds, from Retry-After on 429 and 503. */
  retryAfter?: number | undefined
  [extra: string]: unknown
}

export type Outcome<T> =
  | { ok: true, data: T, response: Response }
  | { ok: false, problem: Problem, response?: Response }

interface FetchResult<T> { data?: T, error?: unknown, response: Response }

const networkProblem = (err: unknown): Problem => ({
  status: 0,
  code: 'network_error',
  title: 'The server could not be reached',
  detail: err instanceof Error ? err.message : undefined
})

function asProblem (error: unknown, response: Response): Problem {
  const body = (typeof error === 'object' && error !== null ? error : {}) as Partial<Problem>
  const retry = Number(response.headers.get('retry-after'))
  return {
    ...body,
    status: response.status,
    code: typeof body.code === 'string' ? body.code : `http_${response.status}`,
    title: typeof body.title === 'string' ? body.title : response.statusText || 'Request failed',
    ...(Number.isFinite(retry) && retry > 0 ? { retryAfter: retry } : {})
  }
}

/** Awaits a typed-client call and says plainly whether it worked: the data, or a problem (never a throw). */
export async function call<T> (request: Promise<FetchResult<T>>): Promise<Outcome<T>> {
  try {
    const { data, error, response } = await request
    if (response.ok) return { ok: true, data: data as T, response }
    return { ok: false, problem: asProblem(error, response), response }
  } catch (err) {
    return { ok: false, problem: networkProblem(err) }
  }
}

/**
 * The messages of a validation problem by form field: `/body/email` and
 * `/body/items/0/sku` become `email` and `items.0.sku`.
 */
export function fieldErrors (problem: Problem | undefined): Record<string, string> {
  const fields: Record<string, string> = {}
  for (const error of problem?.errors ?? []) {
    const name = error.path.replace(/^\/(body|query|params)\//, '').replace(/^\//, '').split('/').join('.')
    fields[name || 'form'] ??= error.message
  }
  return fields
}
