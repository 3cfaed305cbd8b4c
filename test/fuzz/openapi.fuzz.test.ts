import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { usePlatform } from '../e2e/helper.ts'
import type { FuzzCase } from './fuzz-case.ts'
import { FUZZ_ADMIN, fuzzSession } from './fuzz-session.ts'
import { generatedCases } from './generated-cases.ts'
import { hostileCases } from './hostile-cases.ts'
import { operationsOf } from './openapi-operations.ts'
import type { OpenApiDocument, Operation } from './openapi-operations.ts'
import { sendRaw } from './raw-request.ts'
import type { RawResponse } from './raw-request.ts'
import { verdictOn } from './verdict.ts'

const SEED = Number(process.env.FUZZ_SEED ?? 20_240_917)
/** Schema-generated requests per operation, for each of valid and invalid. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 12)
/** Only the operations whose path contains this (while chasing one failure). */
const ONLY = process.env.FUZZ_ONLY ?? ''
const CONCURRENCY = 4
const ROOMY = '1000000'

/** What a failure report shows of a request: enough to replay it, truncated. */
function describeCase (op: Operation, fuzzCase: FuzzCase, outcome: RawResponse | Error): string {
  const clip = (text: string, max = 300) => text.length > max ? `${text.slice(0, max)}... (${text.length} chars)` : text
  const { request } = fuzzCase
  const body = request.body === undefined ? '' : clip(JSON.stringify(Buffer.from(request.body).toString('utf8')))
  const auth = typeof fuzzCase.auth === 'object' ? clip(fuzzCase.auth.authorization, 40) : fuzzCase.auth
  const answer = outcome instanceof Error ? `no answer: ${outcome.message}` : `${outcome.status} ${outcome.contentType} ${clip(outcome.body)}`
  return `${op.method} ${op.path} [${fuzzCase.label}] as ${auth}\n  > ${request.method} ${clip(request.path, 200)} ${JSON.stringify(request.headers, (k, v: unknown) => typeof v === 'string' ? clip(v, 80) : v)} ${body}\n  < ${answer}`
}

/** Runs `work` over `items` with at most `limit` at a time. */
async function inPool<T> (items: T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) await work(items[next++]!)
  }))
}

describe('fuzzing every route of the merged OpenAPI through the gateway', () => {
  const gw = usePlatform({
    ADMIN_EMAIL: FUZZ_ADMIN.email,
    ADMIN_PASSWORD: FUZZ_ADMIN.password,
    // Rate limits would answer most requests 429 before they reach the code under test.
    GATEWAY_RATE_LIMIT_PER_MINUTE: ROOMY,
    GATEWAY_SENSITIVE_RATE_LIMIT_PER_MINUTE: ROOMY,
    GATEWAY_USER_RATE_LIMIT_PER_MINUTE: ROOMY,
    OTP_MAX_SENDS_PER_IP_HOUR: '100000',
    OTP_MAX_SENDS_PER_MINUTE: ROOMY
  })

  it('answers no request with a 5xx, and every 4xx with problem+json (Connect errors on /rpc)', async () => {
    const started = Date.now()
    const doc = await (await fetch(`${gw.url}/openapi.json`)).json() as OpenApiDocument & { info: { description: string } }
    assert.doesNotMatch(doc.info.description, /Not reachable/, 'every service contributed its routes')
    const operations = operationsOf(doc)
    assert.ok(operations.length >= 40, `the merged spec lists ${operations.length} operations`)

    const session = fuzzSession(() => gw.url)
    const failures: string[] = []
    const statuses = new Map<string, number>()
    let fuzzed = 0
    for (const [index, op] of operations.entries()) {
      if (!op.path.includes(ONLY)) continue
      fuzzed++
      await session.refresh()
      const cases = [...hostileCases(op, [session.userId]), ...generatedCases(op, SEED + index * 2, RUNS)]
      await inPool(cases, CONCURRENCY, async (fuzzCase) => {
        const request = { ...fuzzCase.request, headers: { ...fuzzCase.request.headers, ...session.authorization(fuzzCase.auth) } }
        const outcome = await sendRaw(gw.url, request).catch((err: Error) => err)
        const status = outcome instanceof Error ? 'none' : String(outcome.status)
        statuses.set(status, (statuses.get(status) ?? 0) + 1)
        const wrong = outcome instanceof Error ? 'the connection failed' : verdictOn(op, outcome)
        if (wrong) failures.push(`${wrong}: ${describeCase(op, { ...fuzzCase, request }, outcome)}`)
      })
    }
    const sent = [...statuses.values()].reduce((a, b) => a + b, 0)
    const byStatus = [...statuses].sort().map(([status, count]) => `${status}: ${count}`).join(', ')
    const summary = `${sent} requests to ${fuzzed} operations in ${Math.round((Date.now() - started) / 1000)} s (${byStatus}), seed ${SEED}`
    if (failures.length === 0) console.log(`fuzz: ${summary}`)
    assert.equal(failures.length, 0, `${failures.length} wrong answers (${summary}; rerun with FUZZ_SEED=${SEED}):\n${failures.join('\n')}`)
  })
})
