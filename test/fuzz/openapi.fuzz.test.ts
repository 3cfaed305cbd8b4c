import { before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { usePlatform } from '../e2e/helper.ts'
import { createDeclaredAnswerCheck } from './declared-answers.ts'
import { assemble } from './fuzz-case.ts'
import type { Auth, FuzzCase } from './fuzz-case.ts'
import { withFreshIdentities } from './fresh-identities.ts'
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

/** The operation as documented, with valid input from each sender that makes sense for it. */
function exemplarCases (op: Operation): FuzzCase[] {
  const senders: Auth[] = op.secured ? ['user', 'admin'] : ['none', 'user']
  return senders.map(auth => {
    const request = assemble(op)
    return { label: 'the documented exemplar', auth, request: { ...request, body: withFreshIdentities(request.body) } }
  })
}

interface Campaign {
  summary: string
  operations: number
  /** Robustness: 5xx, 4xx without problem+json, no answer. */
  broken: string[]
  /** Honesty: an answer the document does not declare. */
  undeclared: string[]
  /** Operations that never answered 2xx: their success bodies went unchecked. */
  neverSucceeded: string[]
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
  const campaign = {} as Campaign

  // One campaign, valid and invalid input to every operation; each test below judges it one way.
  before(async () => {
    const started = Date.now()
    const doc = await (await fetch(`${gw.url}/openapi.json`)).json() as OpenApiDocument & { info: { description: string } }
    assert.doesNotMatch(doc.info.description, /Not reachable/, 'every service contributed its routes')
    const operations = operationsOf(doc)
    assert.ok(operations.length >= 40, `the merged spec lists ${operations.length} operations`)

    const declared = createDeclaredAnswerCheck()
    const session = fuzzSession(() => gw.url)
    const statuses = new Map<string, number>()
    const succeeded = new Set<Operation>()
    Object.assign(campaign, { broken: [], undeclared: [] })
    const fuzzed: Operation[] = []
    for (const [index, op] of operations.entries()) {
      if (!op.path.includes(ONLY)) continue
      fuzzed.push(op)
      await session.refresh()
      const cases = [...exemplarCases(op), ...hostileCases(op, [session.userId]), ...generatedCases(op, SEED + index * 2, RUNS)]
      await inPool(cases, CONCURRENCY, async (fuzzCase) => {
        const request = { ...fuzzCase.request, headers: { ...fuzzCase.request.headers, ...session.authorization(fuzzCase.auth) } }
        const outcome = await sendRaw(gw.url, request).catch((err: Error) => err)
        const status = outcome instanceof Error ? 'none' : String(outcome.status)
        statuses.set(status, (statuses.get(status) ?? 0) + 1)
        if (outcome instanceof Error) {
          campaign.broken.push(`the connection failed: ${describeCase(op, { ...fuzzCase, request }, outcome)}`)
          return
        }
        if (outcome.status < 300) succeeded.add(op)
        const wrong = verdictOn(op, outcome)
        if (wrong) campaign.broken.push(`${wrong}: ${describeCase(op, { ...fuzzCase, request }, outcome)}`)
        const undeclared = declared(op, outcome)
        if (undeclared) campaign.undeclared.push(`${undeclared}: ${describeCase(op, { ...fuzzCase, request }, outcome)}`)
      })
    }
    const sent = [...statuses.values()].reduce((a, b) => a + b, 0)
    const byStatus = [...statuses].sort().map(([status, count]) => `${status}: ${count}`).join(', ')
    campaign.operations = fuzzed.length
    campaign.summary = `${sent} requests to ${fuzzed.length} operations in ${Math.round((Date.now() - started) / 1000)} s (${byStatus}), seed ${SEED}`
    campaign.neverSucceeded = fuzzed.filter(op => !succeeded.has(op)).map(op => `${op.method} ${op.path}`)
    console.log(`fuzz: ${campaign.summary}; ${fuzzed.length - campaign.neverSucceeded.length} operations answered 2xx at least once` +
      (campaign.neverSucceeded.length > 0 ? `, these never: ${campaign.neverSucceeded.join(', ')}` : ''))
  })

  it('answers no request with a 5xx, and every 4xx with problem+json (Connect errors on /rpc)', () => {
    const { broken, summary } = campaign
    assert.equal(broken.length, 0, `${broken.length} wrong answers (${summary}; rerun with FUZZ_SEED=${SEED}):\n${broken.join('\n')}`)
  })

  it('answers only the statuses, content types and bodies the document declares', () => {
    const { undeclared, summary } = campaign
    // One line per distinct finding first, so a failure reads as a list of what the document misses.
    const kinds = [...new Set(undeclared.map(line => line.split('\n')[0]!.replace(/ \[.*$/, '')))]
    assert.equal(undeclared.length, 0, `${undeclared.length} undeclared answers (${summary}; rerun with FUZZ_SEED=${SEED}):\n${kinds.join('\n')}\n\n${undeclared.slice(0, 40).join('\n')}`)
  })

  // Many operations succeed only with a code or token from a message, which the fuzzer never has.
  it('reaches success on a third of the operations at least, so that success bodies are checked too', () => {
    const { neverSucceeded, operations } = campaign
    assert.ok(operations - neverSucceeded.length >= operations / 3, `only ${operations - neverSucceeded.length} of ${operations} operations answered 2xx; never: ${neverSucceeded.join(', ')}`)
  })
})
