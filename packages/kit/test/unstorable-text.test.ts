import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { Type } from '@sinclair/typebox'
import type { LightMyRequestResponse } from 'fastify'
import { createServer, StrictObject } from '../src/http/index.ts'
import type { App } from '../src/http/index.ts'
import { findUnstorableText } from '../src/http/unstorable-text.ts'
import { createLogger } from '../src/log/index.ts'

const NESTING_DEPTH = 10_000

async function buildApp (): Promise<App> {
  const app = await createServer({ name: 'unstorable-test', log: createLogger('silent'), bodyLimit: 1024 * 1024 })
  app.post('/notes', { schema: { body: StrictObject({ title: Type.String(), tags: Type.Optional(Type.Array(Type.String())), data: Type.Optional(Type.Unknown()) }) } },
    async (request, reply) => reply.code(201).send({ title: request.body.title }))
  app.get('/notes', { schema: { querystring: StrictObject({ q: Type.Optional(Type.String()) }) } }, async (request) => ({ q: request.query.q ?? null }))
  app.get('/notes/:id', { schema: { params: StrictObject({ id: Type.String() }) } }, async (request) => ({ id: request.params.id }))
  await app.ready()
  return app
}

function assertFieldRefused (res: LightMyRequestResponse, path: string, message: RegExp) {
  assert.equal(res.statusCode, 400, res.body)
  assert.match(String(res.headers['content-type']), /^application\/problem\+json/)
  const body = res.json() as { code: string, errors: Array<{ path: string, message: string }> }
  assert.equal(body.code, 'validation_failed')
  assert.equal(body.errors.length, 1)
  assert.equal(body.errors[0]!.path, path)
  assert.match(body.errors[0]!.message, message)
}

const json = (payload: string) => ({ method: 'POST' as const, url: '/notes', headers: { 'content-type': 'application/json' }, payload })

describe('strings no text column can hold', () => {
  let app: App
  before(async () => { app = await buildApp() })
  after(() => app.close())

  it('answers 400 validation_failed naming the body field that holds a NUL character', async () => {
    assertFieldRefused(await app.inject(json('{"title":"a\\u0000b"}')), '/body/title', /NUL/)
  })

  it('names the array item that holds the NUL, however deep', async () => {
    assertFieldRefused(await app.inject(json('{"title":"ok","tags":["x","\\u0000"]}')), '/body/tags/1', /NUL/)
    assertFieldRefused(await app.inject(json('{"title":"ok","data":{"a/b":[{"c":"\\u0000"}]}}')), '/body/data/a~1b/0/c', /NUL/)
  })

  it('refuses a NUL in an object key', async () => {
    assertFieldRefused(await app.inject(json('{"title":"ok","data":{"k\\u0000":1}}')), '/body/data/k\u0000', /field name/)
  })

  it('refuses a lone surrogate, which has no UTF-8 form, but keeps a paired one', async () => {
    assertFieldRefused(await app.inject(json('{"title":"a\\ud800b"}')), '/body/title', /unpaired surrogate/)
    assertFieldRefused(await app.inject(json('{"title":"\\udc00"}')), '/body/title', /unpaired surrogate/)
    const emoji = await app.inject(json('{"title":"\\ud83d\\ude00 caf\\u00e9"}'))
    assert.equal(emoji.statusCode, 201)
    assert.equal(emoji.json().title, '😀 café')
  })

  it('answers 400 naming the query parameter or path parameter that holds a NUL', async () => {
    assertFieldRefused(await app.inject({ method: 'GET', url: '/notes?q=%00' }), '/querystring/q', /NUL/)
    assertFieldRefused(await app.inject({ method: 'GET', url: '/notes/a%00b' }), '/params/id', /NUL/)
  })

  it('checks before validation, so the NUL is named even when other fields are wrong too', async () => {
    assertFieldRefused(await app.inject(json('{"title":"\\u0000","unknown":1}')), '/body/title', /NUL/)
  })

  it('walks a body nested ten thousand deep without overflowing the stack', async () => {
    const deep = '['.repeat(NESTING_DEPTH) + '"\\u0000"' + ']'.repeat(NESTING_DEPTH)
    const res = await app.inject(json(`{"title":"ok","data":${deep}}`))
    assert.equal(res.statusCode, 400)
    assert.equal(res.json().errors[0].path, `/body/data${'/0'.repeat(NESTING_DEPTH)}`)
  })

  it('lets ordinary text through untouched', async () => {
    const res = await app.inject({ method: 'GET', url: `/notes?q=${encodeURIComponent('Zoë & Chloé\t✓')}` })
    assert.equal(res.statusCode, 200)
    assert.deepEqual(res.json(), { q: 'Zoë & Chloé\t✓' })
  })

  it('answers a URL the router cannot decode, or a path segment over the limit, as a problem', async () => {
    for (const url of ['/notes/%zz', '/notes/%ED%A0%80', `/notes/${'a'.repeat(300)}`]) {
      const res = await app.inject({ method: 'GET', url })
      assert.equal(res.statusCode, 400, url)
      assert.match(String(res.headers['content-type']), /^application\/problem\+json/, url)
      assert.equal(res.json().code, 'validation_failed', url)
      assert.equal(res.headers['x-request-id'], res.json().requestId, url)
    }
  })

  it('reports the first unstorable string only, and nothing for numbers, booleans and null', () => {
    assert.equal(findUnstorableText('body', { a: 1, b: true, c: null, d: ['x'] }), undefined)
    assert.deepEqual(findUnstorableText('body', { a: 'ok', b: '\u0000', c: '\ud800' }), { path: '/body/b', message: 'must not contain the NUL character (U+0000)' })
  })
})
