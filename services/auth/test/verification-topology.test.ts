import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { connect } from 'amqplib'
import type { CloudEvent } from '@app/kit/bus'
import type { RabbitBus } from '@app/kit/bus'
import { waitFor } from '@app/kit/testing'
import { OTP_REQUEST_QUEUE, OTP_REQUEST_ROUTING_KEY, OTP_RESULT_QUEUE, OTP_RESULT_ROUTING_KEY, VERIFICATION_EXCHANGE } from '@app/contracts/verification'
import { uniquePhone, usePhoneStack } from './phone-stack.ts'

describe('the verification exchange of the phone-auth design', () => {
  const stack = usePhoneStack()

  it('carries the OTP request on otp_routing_key and the status on otp_to_auth, never the code', async () => {
    const seen: Array<{ key: string, event: CloudEvent }> = []
    // Our own queue, bound to both routing keys beside the services' queues.
    for (const key of [OTP_REQUEST_ROUTING_KEY, OTP_RESULT_ROUTING_KEY]) {
      await stack.s.backends.bus.bus.subscribe({ group: `topology-test-${key}`, exchange: VERIFICATION_EXCHANGE, bindings: [key] }, async (event) => {
        seen.push({ key, event })
      })
    }
    const phone = uniquePhone()
    const res = await stack.s.auth.app.inject({ method: 'POST', url: '/api/v1/auth/phone/signup', payload: { phone } })
    assert.equal(res.statusCode, 202)
    const code = await stack.codeNumber(phone, 1)
    const result = await waitFor(() => seen.find(s => s.key === OTP_RESULT_ROUTING_KEY && (s.event.data as { destination: string }).destination === phone))
    const request = seen.find(s => s.key === OTP_REQUEST_ROUTING_KEY && (s.event.data as { destination: string }).destination === phone)!
    assert.equal(request.event.type, 'otp.requested')
    assert.deepEqual(Object.keys(request.event.data as object).sort(), ['destination', 'flow', 'purpose', 'requestId', 'userId'])
    assert.equal((request.event.data as { purpose: string }).purpose, 'verification')
    assert.equal((request.event.data as { flow: string }).flow, 'phone_signup')
    assert.equal(result.event.type, 'otp.request_completed')
    assert.deepEqual(result.event.data, { requestId: (request.event.data as { requestId: string }).requestId, destination: phone, purpose: 'verification', status: 'sent' })
    assert.ok(!JSON.stringify(seen).includes(code))
  })

  it('declares otp_queue and auth_service_queue by those names on RabbitMQ', { skip: !process.env.AMQP_URL && 'needs AMQP_URL' }, async () => {
    const topology = (stack.s.backends.bus.bus as RabbitBus).topology()
    const prefixed = (name: string) => topology.queues.find(q => q.endsWith(name) && !q.includes(`${name}.`))
    const requestQueue = prefixed(OTP_REQUEST_QUEUE)
    const resultQueue = prefixed(OTP_RESULT_QUEUE)
    assert.ok(requestQueue && resultQueue, topology.queues.join(', '))
    // Test runs prefix every name; the rest is exactly the design's.
    const prefix = requestQueue.slice(0, -OTP_REQUEST_QUEUE.length)
    assert.equal(resultQueue, `${prefix}${OTP_RESULT_QUEUE}`)
    assert.ok(topology.exchanges.includes(`${prefix}${VERIFICATION_EXCHANGE}`))
    const connection = await connect(process.env.AMQP_URL!)
    try {
      const channel = await connection.createChannel()
      for (const queue of [requestQueue, resultQueue]) assert.equal((await channel.checkQueue(queue)).queue, queue)
      await channel.checkExchange(`${prefix}${VERIFICATION_EXCHANGE}`)
      await channel.close()
    } finally {
      await connection.close()
    }
  })
})
