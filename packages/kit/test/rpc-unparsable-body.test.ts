import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { create, fromBinary, toBinary } from '@bufbuild/protobuf'
import { GenerateOtpRequestSchema, GenerateOtpResponseSchema, OtpService } from '@app/contracts/otp/v1'
import { createServer } from '../src/http/index.ts'
import type { App } from '../src/http/index.ts'
import { createLogger } from '../src/log/index.ts'
import { serveRpc } from '../src/rpc/index.ts'
import type { RpcServer } from '../src/rpc/index.ts'

const URL_GENERATE = '/rpc/otp.v1.OtpService/GenerateOtp'

const valid = toBinary(GenerateOtpRequestSchema, create(GenerateOtpRequestSchema, { destination: { case: 'email', value: 'a@example.com' }, purpose: 'login' }))

// Bodies that are not a GenerateOtpRequest in the binary encoding.
const GARBAGE: Record<string, Uint8Array> = {
  'a truncated valid message': valid.subarray(0, valid.length - 3),
  'a length prefix past the end': Uint8Array.from([0x12, 0x40, 0x61]),
  'a varint that never ends': Uint8Array.from([0x18, 0xff, 0xff, 0xff]),
  'an invalid wire type': Uint8Array.from([0x0f, 0x00]),
  'a field number 0': Uint8Array.from([0x02, 0x00]),
  'text sent as proto': new TextEncoder().encode('{"email":"a@example.com"}\n\x80\xff')
}

describe('a Connect procedure given a binary body that is not its request message', () => {
  let app: App
  let rpc: RpcServer

  before(async () => {
    app = await createServer({ name: 'rpc-body-test', log: createLogger('silent'), bodyLimit: 4096 })
    rpc = await serveRpc(app, router => router.service(OtpService, {
      generateOtp: async (request) => {
        if (request.purpose === 'crash') throw new Error('a bug in the implementation')
        return { message: `sent to ${request.destination.value ?? ''} for ${request.purpose}`, expiresIn: 600, resendAfter: 60 }
      }
    }), { host: '127.0.0.1', log: createLogger('silent') })
    await app.ready()
  })
  after(async () => {
    await rpc.close()
    await app.close()
  })

  const post = (url: string, payload: Uint8Array | string, type = 'application/proto') =>
    app.inject({ method: 'POST', url, headers: { 'content-type': type }, payload: Buffer.from(payload) })

  for (const [name, body] of Object.entries(GARBAGE)) {
    it(`answers ${name} with 400 invalid_argument naming the body, as a Connect error`, async () => {
      const res = await post(URL_GENERATE, body)
      assert.equal(res.statusCode, 400, res.body)
      assert.match(String(res.headers['content-type']), /^application\/json/)
      const error = res.json()
      assert.equal(error.code, 'invalid_argument')
      assert.match(error.message, /request body is not a otp\.v1\.GenerateOtpRequest message/)
      assert.deepEqual(Object.keys(error).sort(), ['code', 'message'])
      assert.equal(res.headers['x-error-code'], 'validation_failed')
      assert.equal(Number(res.headers['content-length']), Buffer.byteLength(res.body))
    })
  }

  it('names what the decoder found', async () => {
    const res = await post(URL_GENERATE, valid.subarray(0, valid.length - 3))
    assert.match(res.json().message, /\(premature EOF\)$/)
  })

  it('still serves a valid binary message, and a valid JSON one', async () => {
    const res = await post(URL_GENERATE, valid)
    assert.equal(res.statusCode, 200)
    assert.equal(res.headers['content-type'], 'application/proto')
    assert.equal(fromBinary(GenerateOtpResponseSchema, res.rawPayload).message, 'sent to a@example.com for login')
    const json = await post(URL_GENERATE, '{"email":"a@example.com"}', 'application/json')
    assert.equal(json.statusCode, 200)
    assert.equal(json.json().message, 'sent to a@example.com for ')
  })

  it('leaves a failure of the implementation itself a 500 internal', async () => {
    const res = await post(URL_GENERATE, toBinary(GenerateOtpRequestSchema, create(GenerateOtpRequestSchema, { purpose: 'crash' })))
    assert.equal(res.statusCode, 500)
    assert.equal(res.json().code, 'internal')
  })
})
