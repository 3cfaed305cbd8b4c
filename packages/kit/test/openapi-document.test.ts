import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { Type } from '@sinclair/typebox'
import { OtpService } from '@app/contracts/otp/v1'
import { createServer, problemResponses, StrictObject } from '../src/http/index.ts'
import type { App } from '../src/http/index.ts'
import { createLogger } from '../src/log/index.ts'
import { serveRpc } from '../src/rpc/index.ts'
import type { RpcServer } from '../src/rpc/index.ts'

type Json = Record<string, any>

describe('the OpenAPI document a service publishes', () => {
  let app: App
  let rpc: RpcServer
  let doc: Json

  before(async () => {
    app = await createServer({ name: 'openapi-test', log: createLogger('silent'), bodyLimit: 1024 })
    app.addSchema(Type.Object({ name: Type.String() }, { $id: 'Item' }))
    app.post('/items', {
      schema: {
        summary: 'Add an item',
        body: StrictObject({ name: Type.String() }),
        response: { 201: Type.Ref('Item'), ...problemResponses(409) }
      }
    }, async (request, reply) => reply.code(201).send(request.body))
    app.get('/items/:id', {
      schema: {
        params: StrictObject({ id: Type.String() }),
        security: [{ bearer: [] }],
        response: { 200: Type.Ref('Item'), 410: Type.Ref('Problem', { description: 'The item was sold' }) }
      }
    }, async (request) => ({ name: request.params.id }))
    app.get('/ping', async () => ({ pong: true }))
    app.get('/pages', { schema: { querystring: StrictObject({ limit: Type.Integer({ default: 20 }), cursor: Type.String() }) } }, async () => ({}))
    rpc = await serveRpc(app, router => router.service(OtpService, {
      generateOtp: async () => ({ message: 'sent', expiresIn: 600, resendAfter: 60 })
    }), { host: '127.0.0.1', log: createLogger('silent') })
    await app.ready()
    doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json()
  })
  after(async () => {
    await rpc.close()
    await app.close()
  })

  it('describes every response: no "Default Response" anywhere', () => {
    assert.doesNotMatch(JSON.stringify(doc), /Default Response/)
    assert.equal(doc.paths['/items'].post.responses['201'].description, 'Created: Item')
    assert.equal(doc.paths['/ping'].get.responses['200'].description, 'Success')
  })

  it('declares the statuses the kit answers from the route\'s shape, as shared problem+json responses', () => {
    const post = doc.paths['/items'].post.responses
    for (const [status, name] of [['400', 'BadRequest'], ['409', 'Conflict'], ['413', 'PayloadTooLarge'], ['415', 'UnsupportedMediaType'], ['503', 'ServiceUnavailable']]) {
      assert.deepEqual(post[status!], { $ref: `#/components/responses/${name}` }, status)
    }
    const get = doc.paths['/items/{id}'].get.responses
    assert.deepEqual(Object.keys(get), ['200', '400', '401', '404', '410', '503'])
    assert.equal(doc.paths['/ping'].get.responses['400'], undefined, 'no input, no validation error')
    assert.deepEqual(Object.keys(doc.components.responses.BadRequest.content), ['application/problem+json'])
    assert.ok(doc.components.responses.ServiceUnavailable.headers['Retry-After'])
  })

  it('marks a query parameter with a default as optional, one without as required', () => {
    const parameters = doc.paths['/pages'].get.parameters as Json[]
    assert.deepEqual(parameters.map(p => [p.name, p.required]), [['limit', false], ['cursor', true]])
  })

  it('keeps a route\'s own description of an error, as problem+json', () => {
    const gone = doc.paths['/items/{id}'].get.responses['410']
    assert.equal(gone.description, 'The item was sold')
    assert.deepEqual(Object.keys(gone.content), ['application/problem+json'])
  })

  it('lists a Connect procedure once, as POST, with its messages in the proto3 JSON mapping', () => {
    const item = doc.paths['/rpc/otp.v1.OtpService/GenerateOtp']
    assert.deepEqual(Object.keys(item), ['post'])
    const request = item.post.requestBody.content['application/json'].schema
    assert.deepEqual(Object.keys(request.properties), ['phoneNumber', 'email', 'purpose'])
    const answer = item.post.responses['200'].content['application/json'].schema
    assert.deepEqual(answer.properties.expiresIn, { type: 'integer', format: 'int32' })
    assert.deepEqual(item.post.responses['429'].content['application/json'].schema.required, ['code'])
  })

  it('answers the content types Connect would refuse with an empty 415 as problem+json, as documented', async () => {
    for (const type of ['application/json; charset=utf-16le', 'application/connect+json']) {
      const res = await app.inject({ method: 'POST', url: '/rpc/otp.v1.OtpService/GenerateOtp', headers: { 'content-type': type }, payload: '{}' })
      assert.equal(res.statusCode, 415, type)
      assert.match(String(res.headers['content-type']), /^application\/problem\+json/)
      assert.equal(res.json().code, 'unsupported_media_type')
    }
    const ok = await app.inject({ method: 'POST', url: '/rpc/otp.v1.OtpService/GenerateOtp', headers: { 'content-type': 'application/json; charset=utf-8' }, payload: '{"email":"a@example.com"}' })
    assert.equal(ok.statusCode, 200)
    assert.deepEqual(ok.json(), { message: 'sent', expiresIn: 600, resendAfter: 60 })
  })
})
