import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { Code, ConnectError, createClient } from '@connectrpc/connect'
import { createConnectTransport, createGrpcTransport, createGrpcWebTransport } from '@connectrpc/connect-node'
import { AuthService } from '@app/contracts/auth/v1'
import { OtpService } from '@app/contracts/otp/v1'
import { uniquePhone, usePhoneStack } from './phone-stack.ts'

async function rejection (promise: Promise<unknown>): Promise<ConnectError> {
  try {
    await promise
  } catch (err) {
    return ConnectError.from(err)
  }
  throw new Error('expected the call to fail')
}

describe('Connect RPC: auth.v1.AuthService and otp.v1.OtpService', () => {
  const stack = usePhoneStack()
  const connect = () => createClient(AuthService, createConnectTransport({ baseUrl: `${stack.s.auth.url}/rpc`, httpVersion: '1.1' }))
  const grpc = () => createClient(AuthService, createGrpcTransport({ baseUrl: stack.s.authGrpc }))

  it('signs up, verifies and reads the profile over the Connect protocol', async () => {
    const client = connect()
    const phone = uniquePhone()
    assert.equal((await client.signupWithPhoneNumber({ phoneNumber: phone })).message, 'OTP will be sent soon')
    const verified = await client.verifyPhoneNumber({ phoneNumber: phone, otp: await stack.codeNumber(phone, 1) })
    assert.ok(verified.tokens?.accessToken)
    assert.equal(verified.sessionToken, verified.tokens.accessToken)
    assert.equal(verified.tokens.tokenType, 'Bearer')
    assert.equal(verified.tokens.expiresIn, 900)
    const profile = await client.getProfile({}, { headers: { authorization: `Bearer ${verified.tokens.accessToken}` } })
    assert.equal(profile.phoneNumber, phone)
    assert.equal(profile.phoneVerified, true)
    assert.deepEqual(profile.roles, ['user'])
    assert.equal((await client.validatePhoneNumberLogin({ phoneNumber: phone })).isValid, true)
  })

  it('logs in over gRPC (HTTP/2): a code without otp, tokens with it', async () => {
    const client = grpc()
    const phone = uniquePhone()
    await client.signupWithPhoneNumber({ phoneNumber: phone })
    await client.verifyPhoneNumber({ phoneNumber: phone, otp: await stack.codeNumber(phone, 1) })
    const started = await client.loginWithPhoneNumber({ phoneNumber: phone })
    assert.equal(started.message, 'OTP will be sent soon')
    assert.equal(started.tokens, undefined)
    const login = await client.loginWithPhoneNumber({ phoneNumber: phone, otp: await stack.codeNumber(phone, 2) })
    assert.ok(login.tokens?.refreshToken)
    assert.equal(login.message, '')
    assert.equal((await client.validatePhoneNumberLogin({ phoneNumber: uniquePhone() })).isValid, false)
  })

  it('maps errors to RPC codes and carries the platform code', async () => {
    const client = grpc()
    const phone = uniquePhone()
    await client.signupWithPhoneNumber({ phoneNumber: phone })
    const code = await stack.codeNumber(phone, 1)
    const wrong = await rejection(client.verifyPhoneNumber({ phoneNumber: phone, otp: String((Number(code) + 1) % 1_000_000).padStart(6, '0') }))
    assert.equal(wrong.code, Code.InvalidArgument)
    assert.equal(wrong.metadata.get('x-error-code'), 'otp_invalid')
    assert.equal(wrong.metadata.get('x-attempts-left'), '4')
    assert.equal((await rejection(client.getProfile({}))).code, Code.Unauthenticated)
    assert.equal((await rejection(client.getProfile({}, { headers: { authorization: 'Bearer not.a.token' } }))).code, Code.Unauthenticated)
    const bad = await rejection(connect().signupWithPhoneNumber({ phoneNumber: '12345' }))
    assert.equal(bad.code, Code.InvalidArgument)
    assert.equal(bad.metadata.get('x-error-code'), 'validation_failed')
  })

  it('answers gRPC-Web on the HTTP/1.1 port too', async () => {
    const client = createClient(AuthService, createGrpcWebTransport({ baseUrl: `${stack.s.auth.url}/rpc`, httpVersion: '1.1' }))
    assert.equal((await client.validatePhoneNumberLogin({ phoneNumber: uniquePhone() })).isValid, false)
  })

  it('generates codes with otp.v1.OtpService over Connect and gRPC, with the REST limits', async () => {
    const overGrpc = createClient(OtpService, createGrpcTransport({ baseUrl: stack.s.otpGrpc }))
    const phone = uniquePhone()
    const sent = await overGrpc.generateOtp({ destination: { case: 'phoneNumber', value: phone }, purpose: 'login' })
    assert.equal(sent.expiresIn, 600)
    await stack.codeNumber(phone, 1)
    const overConnect = createClient(OtpService, createConnectTransport({ baseUrl: `${stack.s.otp.url}/rpc`, httpVersion: '1.1' }))
    const email = `rpc.${Date.now()}@example.com`
    assert.equal((await overConnect.generateOtp({ destination: { case: 'email', value: email } })).resendAfter, 0)
    assert.equal((await rejection(overConnect.generateOtp({ destination: { case: 'email', value: email }, purpose: 'other' }))).code, Code.InvalidArgument)
    assert.equal((await rejection(overConnect.generateOtp({}))).code, Code.InvalidArgument)
  })
})
