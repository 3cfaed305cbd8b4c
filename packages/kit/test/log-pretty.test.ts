import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { stripVTControlCharacters } from 'node:util'
import { createLogger, prettyDestination, readableLine, wantsPrettyLogs } from '../src/log/index.ts'

describe('readable logs in development', () => {
  it('are readable only when asked: at a terminal or with LOG_PRETTY=1, never in production', () => {
    assert.equal(wantsPrettyLogs({ isTTY: true }), true)
    assert.equal(wantsPrettyLogs({ isTTY: false }), false, 'piped or collected: JSON')
    assert.equal(wantsPrettyLogs({ isTTY: false, LOG_PRETTY: '1' }), true)
    assert.equal(wantsPrettyLogs({ isTTY: false, LOG_PRETTY: 'true' }), true)
    assert.equal(wantsPrettyLogs({ isTTY: true, LOG_PRETTY: '0' }), false)
    assert.equal(wantsPrettyLogs({ isTTY: true, NODE_ENV: 'production' }), false)
    assert.equal(wantsPrettyLogs({ isTTY: true, NODE_ENV: 'production', LOG_PRETTY: '1' }), false)
  })

  it('fold an access line into one phrase, the service in front', () => {
    const line = readableLine({ level: 'info', service: 'gateway', requestId: 'r1', method: 'GET', route: '/api/v1/users/me', url: '/api/v1/users/me', status: 200, ms: 3.1, upstream: 'user', instance: 'http://127.0.0.1:8081', userId: 'u1', msg: 'request' })
    assert.deepEqual(line, { level: 'info', userId: 'u1', msg: '[gateway] GET /api/v1/users/me 200 in 3.1 ms → user' })
    assert.deepEqual(readableLine({ service: 'user', applied: ['a'], msg: 'migrations applied' }), { applied: ['a'], msg: '[user] migrations applied' })
  })

  it('write a line a person reads, secrets still redacted, no JSON', () => {
    const written: string[] = []
    const log = createLogger('info', undefined, prettyDestination({ write: text => written.push(text) }))
    log.child({ service: 'auth' }).info({ password: 'hunter2', userId: 'u1' }, 'signed in')
    assert.equal(written.length, 1)
    // Without the colours a terminal would get.
    const text = stripVTControlCharacters(written[0]!)
    assert.match(text, /^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: \[auth\] signed in \{"password":"\[redacted\]","userId":"u1"\}\n$/)
    assert.doesNotMatch(text, /hunter2/)
  })
})
