import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { Type } from '@sinclair/typebox'
import { BaseConfigSchema, ConfigError, loadConfig } from '../src/config/index.ts'
import { defineService } from '../src/service/define-service.ts'
import { loadServiceConfig } from '../src/service/service-config.ts'

const GOOD_SECRET = 'a-shared-secret-of-at-least-32-chars'

/** Runs `fn`, asserts it throws a ConfigError, and returns its problems. */
function problemsOf (fn: () => unknown): string[] {
  try {
    fn()
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`)
    return err.problems
  }
  assert.fail('expected a ConfigError, nothing was thrown')
}

function problemFor (problems: string[], variable: string): string {
  const found = problems.find(p => p.startsWith(`${variable} `))
  assert.ok(found, `no problem names ${variable}: ${JSON.stringify(problems)}`)
  return found
}

describe('loadConfig', () => {
  it('coerces numeric and boolean strings to the types the schema declares', () => {
    const config = loadConfig(BaseConfigSchema, { PORT: '8080', METRICS_ENABLED: 'false', REQUIRE_EXTERNAL_BACKENDS: 'true' })
    assert.equal(config.PORT, 8080)
    assert.equal(config.METRICS_ENABLED, false)
    assert.equal(config.REQUIRE_EXTERNAL_BACKENDS, true)
  })

  it('applies the schema defaults to variables that are not set', () => {
    const config = loadConfig(BaseConfigSchema, {})
    assert.equal(config.NODE_ENV, 'development')
    assert.equal(config.HOST, '127.0.0.1')
    assert.equal(config.LOG_LEVEL, 'info')
    assert.equal(config.BODY_LIMIT_BYTES, 65_536)
    assert.equal(config.METRICS_ENABLED, true)
    assert.equal(config.DATABASE_URL, undefined)
  })

  it('treats an empty string as unset, so the default applies and an optional URL stays absent', () => {
    const config = loadConfig(BaseConfigSchema, { PORT: '', LOG_LEVEL: '', DATABASE_URL: '', REDIS_URL: '' })
    assert.equal(config.PORT, 0)
    assert.equal(config.LOG_LEVEL, 'info')
    assert.equal('DATABASE_URL' in config, false)
    assert.equal('REDIS_URL' in config, false)
  })

  it('ignores variables the schema does not name', () => {
    const config = loadConfig(Type.Object({ PORT: Type.Integer({ default: 1 }) }), { PORT: '2', PATH: '/usr/bin' })
    assert.deepEqual({ ...config }, { PORT: 2 })
  })

  it('reports every invalid variable in one ConfigError, each naming the variable, what it expects and what it got', () => {
    const problems = problemsOf(() => loadConfig(BaseConfigSchema, { PORT: 'abc', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' }))
    assert.equal(problems.length, 3)
    const port = problemFor(problems, 'PORT')
    assert.match(port, /TCP port/)
    assert.match(port, /"abc"/)
    const url = problemFor(problems, 'DATABASE_URL')
    assert.match(url, /postgres:\/\//)
    assert.match(url, /"mysql:\/\/x"/)
    const level = problemFor(problems, 'LOG_LEVEL')
    assert.match(level, /one of .*"info"/)
  })

  it('puts every problem in the error message as well, for a one-line log', () => {
    assert.throws(() => loadConfig(BaseConfigSchema, { PORT: '70000', BUS_PREFETCH: '0' }), (err: unknown) => {
      assert.ok(err instanceof ConfigError)
      assert.match(err.message, /PORT/)
      assert.match(err.message, /BUS_PREFETCH/)
      return true
    })
  })

  it('reports a missing required variable as required, with what it expects', () => {
    const schema = Type.Object({
      API_KEY: Type.String({ minLength: 8, description: 'the partner API key' }),
      RETRIES: Type.Integer({ default: 3 })
    })
    const problems = problemsOf(() => loadConfig(schema, { RETRIES: '5' }))
    assert.deepEqual(problems, ['API_KEY is required: the partner API key'])
  })

  it('freezes the result, so assigning a setting throws in strict mode', () => {
    const config = loadConfig(BaseConfigSchema, { PORT: '8080' })
    assert.ok(Object.isFrozen(config))
    assert.throws(() => { (config as { PORT: number }).PORT = 1 }, TypeError)
    assert.equal(config.PORT, 8080)
  })

  it('freezes nested objects and arrays too', () => {
    const schema = Type.Object({
      LIMITS: Type.Object({ burst: Type.Integer(), windows: Type.Array(Type.Integer()) }, { default: { burst: 5, windows: [60, 3600] } })
    })
    const config = loadConfig(schema, {})
    assert.ok(Object.isFrozen(config.LIMITS))
    assert.throws(() => { (config.LIMITS as { burst: number }).burst = 50 }, TypeError)
    assert.throws(() => { (config.LIMITS.windows as number[]).push(1) }, TypeError)
    assert.deepEqual(config.LIMITS.windows, [60, 3600])
  })
})

describe('loadServiceConfig', () => {
  const definition = defineService({
    name: 'user',
    description: 'a definition with no settings of its own',
    configSchema: Type.Object({}),
    async setup () {}
  })

  it('loads the base settings for a service without settings of its own', () => {
    const config = loadServiceConfig(definition, { PORT: '8081', SERVICE_SECRET: GOOD_SECRET })
    assert.equal(config.PORT, 8081)
    assert.equal(config.SERVICE_SECRET, GOOD_SECRET)
  })

  it('names each missing backend URL when REQUIRE_EXTERNAL_BACKENDS=true', () => {
    const problems = problemsOf(() => loadServiceConfig(definition, { REQUIRE_EXTERNAL_BACKENDS: 'true' }))
    assert.equal(problems.length, 3)
    for (const key of ['DATABASE_URL', 'REDIS_URL', 'AMQP_URL']) assert.match(problemFor(problems, key), /REQUIRE_EXTERNAL_BACKENDS/)
  })

  it('names only the backend URLs that are missing when REQUIRE_EXTERNAL_BACKENDS=true', () => {
    const problems = problemsOf(() => loadServiceConfig(definition, {
      REQUIRE_EXTERNAL_BACKENDS: 'true',
      DATABASE_URL: 'postgres://db/app',
      AMQP_URL: ''
    }))
    assert.deepEqual(problems.map(p => p.split(' ')[0]), ['REDIS_URL', 'AMQP_URL'])
  })

  it('starts with every backend URL set when REQUIRE_EXTERNAL_BACKENDS=true', () => {
    const config = loadServiceConfig(definition, {
      REQUIRE_EXTERNAL_BACKENDS: 'true',
      DATABASE_URL: 'postgres://db/app',
      REDIS_URL: 'redis://cache:6379',
      AMQP_URL: 'amqp://bus'
    })
    assert.equal(config.REQUIRE_EXTERNAL_BACKENDS, true)
  })

  it('reports a bad variable and the cross-variable rules in the same ConfigError', () => {
    const problems = problemsOf(() => loadServiceConfig(definition, { PORT: 'abc', REQUIRE_EXTERNAL_BACKENDS: 'true', NODE_ENV: 'production' }))
    assert.ok(problems.some(p => p.startsWith('PORT ')), problems.join('; '))
    for (const key of ['DATABASE_URL', 'REDIS_URL', 'AMQP_URL', 'INTERNAL_AUTH_KEYS', 'IDENTITY_KEYS', 'OTP_HMAC_KEYS', 'EVENT_SEAL_KEYS']) {
      assert.ok(problems.some(p => p.startsWith(`${key} is required`)), `${key} missing from: ${problems.join('; ')}`)
    }
  })

  it('refuses NODE_ENV=production without each keyring, SERVICE_SECRET or not, naming each variable', () => {
    for (const env of [{ NODE_ENV: 'production' }, { NODE_ENV: 'production', SERVICE_SECRET: GOOD_SECRET }]) {
      const problems = problemsOf(() => loadServiceConfig(definition, env))
      assert.equal(problems.length, 4, problems.join('; '))
      for (const key of ['INTERNAL_AUTH_KEYS', 'IDENTITY_KEYS', 'OTP_HMAC_KEYS', 'EVENT_SEAL_KEYS']) {
        assert.match(problemFor(problems, key), /required in production/)
      }
    }
  })

  it('accepts NODE_ENV=production with every keyring set', () => {
    const keys = Object.fromEntries(['INTERNAL_AUTH_KEYS', 'IDENTITY_KEYS', 'OTP_HMAC_KEYS', 'EVENT_SEAL_KEYS'].map(v => [v, `k1:${GOOD_SECRET}`]))
    const config = loadServiceConfig(definition, { NODE_ENV: 'production', ...keys })
    assert.equal(config.NODE_ENV, 'production')
  })

  it('names a malformed keyring entry without quoting its secret', () => {
    const secret = 's'.repeat(40)
    const problems = problemsOf(() => loadServiceConfig(definition, {
      INTERNAL_AUTH_KEYS: 'k1:short',
      IDENTITY_KEYS: `k1:${secret}:2030-01-01`,
      OTP_HMAC_KEYS: `k1:${secret},k2:${secret}:someday`,
      EVENT_SEAL_KEYS: `k1:${secret},k1:${secret}:2030-01-01`
    }))
    assert.equal(problems.length, 4, problems.join('; '))
    assert.match(problemFor(problems, 'INTERNAL_AUTH_KEYS'), /entry 1 \(k1\) must have a secret of at least 32/)
    assert.match(problemFor(problems, 'IDENTITY_KEYS'), /current key: it takes no end date/)
    assert.match(problemFor(problems, 'OTP_HMAC_KEYS'), /entry 2 \(k2\) must end with an ISO date/)
    assert.match(problemFor(problems, 'EVENT_SEAL_KEYS'), /repeats the key id k1/)
    for (const problem of problems) assert.doesNotMatch(problem, /s{40}|short/)
  })

  it('refuses a SERVICE_SECRET shorter than 32 characters, naming SERVICE_SECRET and its minimum', () => {
    const problems = problemsOf(() => loadServiceConfig(definition, { SERVICE_SECRET: 'x'.repeat(31) }))
    assert.equal(problems.length, 1)
    assert.match(problemFor(problems, 'SERVICE_SECRET'), /32/)
  })
})
