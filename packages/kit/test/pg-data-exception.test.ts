import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { FastifyError } from 'fastify'
import { quoteIdent } from '../src/db/index.ts'
import { AppError } from '../src/errors/index.ts'
import { isPgDataException } from '../src/errors/pg-data-exception.ts'
import { createServer, toAppError } from '../src/http/index.ts'
import type { App } from '../src/http/index.ts'
import { createLogger } from '../src/log/index.ts'
import { openTestDb } from '../src/testing/test-db.ts'
import type { TestDb } from '../src/testing/test-db.ts'

describe('PostgreSQL refusing a value the request carried', () => {
  let app: App
  let test: TestDb
  before(async () => {
    test = await openTestDb('pg_data_exception')
    app = await createServer({ name: 'pg-data-test', log: createLogger('silent'), bodyLimit: 1024 })
    // The value goes to the database as the client sent it: no validation in front, as in a route that forgot one.
    app.get('/cast', async (request) => {
      const { value, as } = request.query as { value: string, as: string }
      const { rows } = await test.db.query<{ v: unknown }>(`select $1::${as === 'int' ? 'int4' : as === 'uuid' ? 'uuid' : 'date'} as v`, [value])
      return { v: rows[0]!.v }
    })
    await test.db.query(`create schema ${quoteIdent(test.db.schema)}`)
    await test.db.query('create table short_notes (title varchar(5))')
    app.post('/short-notes', async (request, reply) => {
      await test.db.query('insert into short_notes (title) values ($1)', [(request.body as { title: string }).title])
      return reply.code(201).send()
    })
    app.get('/missing-table', async () => test.db.query('select * from no_such_table'))
    await app.ready()
  })
  after(async () => {
    await app.close()
    await test.cleanup()
  })

  const problemOf = async (url: string) => {
    const res = await app.inject({ method: 'GET', url })
    return { status: res.statusCode, type: String(res.headers['content-type']), body: res.json() as { code: string, detail: string } }
  }

  for (const [what, url, sqlState] of [
    ['text that is not a number', '/cast?as=int&value=abc', '22P02'],
    ['a number out of range', '/cast?as=int&value=99999999999', '22003'],
    ['text that is not a uuid', '/cast?as=uuid&value=nope', '22P02'],
    ['text that is not a date', '/cast?as=date&value=someday', '22007']
  ]) {
    it(`answers 400 validation_failed, not 500, for ${what} (SQLSTATE ${sqlState})`, async () => {
      const res = await problemOf(url!)
      assert.equal(res.status, 400)
      assert.match(res.type, /^application\/problem\+json/)
      assert.equal(res.body.code, 'validation_failed')
      assert.match(res.body.detail, new RegExp(sqlState!))
    })
  }

  it('answers 400 validation_failed for text longer than its column (SQLSTATE 22001)', async () => {
    const res = await app.inject({ method: 'POST', url: '/short-notes', payload: { title: 'far too long' } })
    assert.equal(res.statusCode, 400)
    assert.equal(res.json().code, 'validation_failed')
    assert.match(res.json().detail, /22001/)
  })

  it('maps the database refusing a NUL character (22021) to 400 validation_failed', async () => {
    // Over HTTP the kit's hook answers a NUL first; this is what a store that skipped it would throw.
    const refused = await test.db.query('select $1::text', ['a\u0000b']).then(() => undefined, (err: unknown) => err)
    assert.ok(isPgDataException(refused), `the database refused the NUL as data: ${String(refused)}`)
    const mapped = toAppError(refused as FastifyError)
    assert.equal(mapped.status, 400)
    assert.equal(mapped.code, 'validation_failed')
  })

  it('still answers 500 internal for an error that is not about the data (a missing table)', async () => {
    const res = await problemOf('/missing-table')
    assert.equal(res.status, 500)
    assert.equal(res.body.code, 'internal')
  })

  it('recognises a data exception wrapped as the cause of another error, but not other SQLSTATEs or socket codes', () => {
    assert.equal(isPgDataException(new Error('store failed', { cause: { code: '22021' } })), true)
    assert.equal(isPgDataException({ code: '22P05' }), true)
    assert.equal(isPgDataException({ code: '23505' }), false)
    assert.equal(isPgDataException({ code: 'ECONNRESET' }), false)
    assert.equal(isPgDataException(new AppError('conflict', 409, 'Conflict')), false)
    assert.equal(isPgDataException(undefined), false)
  })
})
