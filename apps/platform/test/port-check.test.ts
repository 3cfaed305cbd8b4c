import assert from 'node:assert/strict'
import { once } from 'node:events'
import { connect } from 'node:net'
import { describe, it } from 'node:test'
import { ConfigError } from '@app/kit/config'
import { holdPort, isPortFree, tryHoldPort } from '../src/port-check.ts'

describe('holding a port', () => {
  // The bound turns the old hang (a held port's release waited for every client to hang up) into a failure.
  it('cuts off whoever connects meanwhile, so letting go never waits on a client', { timeout: 60_000 }, async (t) => {
    const held = await holdPort('127.0.0.1', 0)
    // A client that would wait for an answer forever, as a browser or another program's probe can.
    const client = connect(held.port, '127.0.0.1')
    t.after(() => client.destroy())
    client.on('error', () => {})
    await once(client, 'close')
    await held.release()
    assert.equal(await isPortFree('127.0.0.1', held.port), true)
  })

  it('is refused while another holds the port: holdPort names PORT, tryHoldPort and isPortFree say no', async (t) => {
    const held = await holdPort('127.0.0.1', 0)
    t.after(held.release)
    assert.equal(await isPortFree('127.0.0.1', held.port), false)
    assert.equal(await tryHoldPort('127.0.0.1', held.port), undefined)
    await assert.rejects(holdPort('127.0.0.1', held.port), (err: unknown) => err instanceof ConfigError && err.message.includes(`port ${held.port} is in use; set PORT=`))
  })
})
