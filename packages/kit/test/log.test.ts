import { describe, it } from 'node:test'
import type { TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from '../src/http/index.ts'
import { createLogger } from '../src/log/index.ts'

type Line = Record<string, unknown>

/** A destination that keeps every line the logger writes; pino writes to it synchronously. */
function capture () {
  const raw: string[] = []
  return {
    stream: { write (chunk: string) { raw.push(chunk) } },
    raw,
    get lines (): Line[] { return raw.map(l => JSON.parse(l) as Line) }
  }
}

const SECRETS = {
  password: 'hunter2-password',
  otp: '493817',
  token: 'tok-5f2c',
  refreshToken: 'rt-91ab',
  authorization: 'Bearer eyJhbGciOi',
  cookie: 'sid=s3cr3t',
  newPassword: 'hunter3-new'
}
const SECRET_KEYS = Object.keys(SECRETS)
const REDACTED = Object.fromEntries(SECRET_KEYS.map(k => [k, '[redacted]']))

function logOne (fields: object): { line: Line, raw: string } {
  const out = capture()
  createLogger('info', 'log-test', out.stream).info(fields, 'event')
  assert.equal(out.raw.length, 1)
  return { line: out.lines[0]!, raw: out.raw[0]! }
}

function assertNoSecretValue (raw: string): void {
  for (const value of Object.values(SECRETS)) assert.equal(raw.includes(value), false, `${value} leaked: ${raw}`)
}

describe('logger redaction', () => {
  it('redacts secret fields at the top level and keeps ordinary ones', () => {
    const { line, raw } = logOne({ ...SECRETS, email: 'ada@example.com', attempts: 3 })
    for (const key of SECRET_KEYS) assert.equal(line[key], '[redacted]', key)
    assert.equal(line.email, 'ada@example.com')
    assert.equal(line.attempts, 3)
    assert.equal(line.msg, 'event')
    assert.equal(line.name, 'log-test')
    assertNoSecretValue(raw)
  })

  it('redacts secret fields nested one level down', () => {
    const { line, raw } = logOne({ body: { ...SECRETS, email: 'ada@example.com' } })
    assert.deepEqual(line.body, { ...REDACTED, email: 'ada@example.com' })
    assertNoSecretValue(raw)
  })

  it('redacts secret fields nested two levels down, such as request headers', () => {
    const { line, raw } = logOne({
      upstream: { method: 'POST', headers: { authorization: SECRETS.authorization, cookie: SECRETS.cookie, 'user-agent': 'curl/8' } },
      user: { login: { ...SECRETS } }
    })
    assert.deepEqual(line.upstream, { method: 'POST', headers: { authorization: '[redacted]', cookie: '[redacted]', 'user-agent': 'curl/8' } })
    assert.deepEqual(line.user, { login: REDACTED })
    assertNoSecretValue(raw)
  })

  it('writes a whole request as its method and path: no header, no query', () => {
    const { line, raw } = logOne({
      req: { method: 'GET', url: '/api/v1/password/reset?token=tok-5f2c', headers: { authorization: SECRETS.authorization, cookie: SECRETS.cookie } }
    })
    assert.deepEqual(line.req, { method: 'GET', url: '/api/v1/password/reset?token=[redacted]' })
    assertNoSecretValue(raw)
  })

  it('redacts secret-named fields at any depth and in any case style, inside arrays too', () => {
    const { line, raw } = logOne({ a: { b: { c: { d: { smsCode: '771204', refresh_token: 'rt-deep', keep: 1 } } } }, list: [{ otpCode: '112233' }], user_password: 'pw-x' })
    assert.deepEqual(line.a, { b: { c: { d: { smsCode: '[redacted]', refresh_token: '[redacted]', keep: 1 } } } })
    assert.deepEqual(line.list, [{ otpCode: '[redacted]' }])
    assert.equal(line.user_password, '[redacted]')
    assert.doesNotMatch(raw, /771204|rt-deep|112233|pw-x/)
  })

  it('redacts identity assertions and signatures below the fixed paths', () => {
    const { line, raw } = logOne({ upstream: { call: { request: { headers: { 'x-identity-assertion': 'ga1.k1.cGF5bG9hZA.bWFjLWRlZXA', 'x-identity-signature': 'sig-deep' } } } }, webhookSignature: 'sig-top' })
    assert.deepEqual(line.upstream, { call: { request: { headers: { 'x-identity-assertion': '[redacted]', 'x-identity-signature': '[redacted]' } } } })
    assert.equal(line.webhookSignature, '[redacted]')
    assert.doesNotMatch(raw, /bWFjLWRlZXA|sig-deep|sig-top/)
  })

  it('redacts the query of a URL in an error\'s message, stack, cause and members, keeping the standard error fields', () => {
    const out = capture()
    const log = createLogger('info', 'log-test', out.stream)
    const cause = new Error('upstream said no to /internal/reset?token=tok-cause')
    const err = Object.assign(new TypeError('fetch failed for http://127.0.0.1:4000/api/v1/password/reset?token=tok-5f2c', { cause }), { url: '/verify?token=tok-member', attempt: 2, smsCode: '771204' })
    log.error({ err }, 'call failed')
    log.error(err)
    log.error({ err })
    const [withMessage, bare, wrapped] = out.lines
    const serialized = withMessage!.err as Record<string, unknown>
    assert.equal(serialized.type, 'TypeError')
    assert.equal(serialized.message, 'fetch failed for http://127.0.0.1:4000/api/v1/password/reset?token=[redacted] upstream said no to /internal/reset?token=[redacted]', 'pino appends the cause (the query runs to the next space)')
    assert.match(String(serialized.stack), /^TypeError: fetch failed for http:\/\/127\.0\.0\.1:4000\/api\/v1\/password\/reset\?token=\[redacted\]\n\s+at /)
    assert.match(String(serialized.stack), /caused by: Error: upstream said no to \/internal\/reset\?token=\[redacted\]/)
    assert.equal(serialized.url, '/verify?token=[redacted]')
    assert.equal(serialized.attempt, 2)
    assert.equal(serialized.smsCode, '[redacted]')
    assert.equal(withMessage!.msg, 'call failed')
    assert.deepEqual(bare!.err, serialized)
    assert.equal(bare!.msg, 'fetch failed for http://127.0.0.1:4000/api/v1/password/reset?token=[redacted]')
    assert.equal(wrapped!.msg, bare!.msg)
    for (const raw of out.raw) assert.doesNotMatch(raw, /tok-5f2c|tok-cause|tok-member|771204/)
    assert.equal(err.message, 'fetch failed for http://127.0.0.1:4000/api/v1/password/reset?token=tok-5f2c', 'the error itself is untouched')
  })

  it('keeps the path of a URL and redacts its query, in fields and in the message', () => {
    const out = capture()
    const log = createLogger('info', 'log-test', out.stream)
    log.info({ source: 'http://127.0.0.1:4000/api/v1/password/reset?token=tok-5f2c&x=1', nested: { link: '/verify?token=tok-5f2c' } }, 'opened /api/v1/email-verification/verify?token=tok-5f2c#top')
    const [line] = out.lines
    assert.equal(line!.source, 'http://127.0.0.1:4000/api/v1/password/reset?token=[redacted]&x=[redacted]')
    assert.deepEqual(line!.nested, { link: '/verify?token=[redacted]' })
    assert.equal(line!.msg, 'opened /api/v1/email-verification/verify?token=[redacted]')
    assert.doesNotMatch(out.raw[0]!, /tok-5f2c/)
  })

  it('leaves the caller\'s object untouched', () => {
    const fields = { body: { password: SECRETS.password } }
    logOne(fields)
    assert.equal(fields.body.password, SECRETS.password)
  })

  it('writes nothing below its level', () => {
    const out = capture()
    const log = createLogger('warn', undefined, out.stream)
    log.info('ignored')
    log.warn('kept')
    assert.deepEqual(out.lines.map(l => [l.level, l.msg]), [['warn', 'kept']])
  })
})

describe('access log', () => {
  it('writes one access line per request carrying the incoming request id', async (t: TestContext) => {
    const out = capture()
    const app = await createServer({ name: 'log-test', log: createLogger('info', 'log-test', out.stream), bodyLimit: 1024 })
    t.after(() => app.close())
    app.post('/login', async () => ({ ok: true }))

    const res = await app.inject({
      method: 'POST',
      url: '/login?next=%2F',
      headers: { 'x-request-id': 'r-1', authorization: SECRETS.authorization, cookie: SECRETS.cookie },
      payload: { email: 'ada@example.com', password: SECRETS.password }
    })
    assert.equal(res.statusCode, 200)

    const access = out.lines.filter(l => l.msg === 'request')
    assert.equal(access.length, 1)
    const line = access[0]!
    assert.equal(line.requestId, 'r-1')
    assert.equal(line.method, 'POST')
    assert.equal(line.url, '/login?next=[redacted]')
    assert.equal(line.status, 200)
    assert.equal(line.level, 'info')
    assert.equal(typeof line.ms, 'number')
    for (const raw of out.raw) assertNoSecretValue(raw)
  })

  it('writes the path of a link but not its token, whatever the query looks like', async (t: TestContext) => {
    const out = capture()
    const app = await createServer({ name: 'log-test', log: createLogger('info', 'log-test', out.stream), bodyLimit: 1024 })
    t.after(() => app.close())
    app.get('/reset', async () => ({ ok: true }))
    for (const url of ['/reset?token=tok-5f2c', '/reset?a=1&token=tok-5f2c&b', '/reset?tok-5f2c', '/reset/?token=tok-5f2c#x', '/nowhere?token=tok-5f2c']) {
      await app.inject({ method: 'GET', url })
    }
    const urls = out.lines.filter(l => l.msg === 'request').map(l => l.url)
    assert.deepEqual(urls, ['/reset?token=[redacted]', '/reset?a=[redacted]&token=[redacted]&[redacted]', '/reset?[redacted]', '/reset/?token=[redacted]', '/nowhere?token=[redacted]'])
    for (const raw of out.raw) assert.doesNotMatch(raw, /tok-5f2c/)
  })

  it('carries the request id on the error line of a failed request too', async (t: TestContext) => {
    const out = capture()
    const app = await createServer({ name: 'log-test', log: createLogger('info', 'log-test', out.stream), bodyLimit: 1024 })
    t.after(() => app.close())
    app.get('/boom', async () => { throw new Error('database exploded') })

    const res = await app.inject({ method: 'GET', url: '/boom', headers: { 'x-request-id': 'r-2' } })
    assert.equal(res.statusCode, 500)
    const failure = out.lines.find(l => l.msg === 'request failed')
    assert.ok(failure, 'the 500 is logged')
    assert.equal(failure.requestId, 'r-2')
    assert.equal(failure.level, 'error')
    assert.match(JSON.stringify(failure.err), /database exploded/)
    assert.equal(out.lines.find(l => l.msg === 'request')?.requestId, 'r-2')
  })
})
