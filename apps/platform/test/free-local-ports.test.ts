import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { freeLocalPorts } from '../src/free-local-ports.ts'
import { isPortFree } from '../src/port-check.ts'

const ephemeralLow = (() => {
  try { return Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) } catch { return undefined }
})()

describe('ports for the services inside the all-in-one process', () => {
  it('are distinct, free, and outside the range the kernel hands to outgoing connections', { skip: ephemeralLow === undefined && 'no /proc/sys/net/ipv4/ip_local_port_range here' }, async () => {
    const ports = await freeLocalPorts(9)
    assert.equal(new Set(ports).size, 9)
    for (const port of ports) {
      assert.ok(port >= 10_000 && port < ephemeralLow!, `${port} is below the ephemeral range starting at ${ephemeralLow}`)
      assert.ok(await isPortFree('127.0.0.1', port), `${port} can be listened on`)
    }
  })

  it('never hands out a port twice, even when every pick lands on the same one', async () => {
    const ports = await freeLocalPorts(3, '127.0.0.1', () => 0.5)
    assert.equal(new Set(ports).size, 3)
  })
})
