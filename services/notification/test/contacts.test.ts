import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import type { ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import pino from 'pino'
import { createMemoryCache } from '@app/kit/cache'
import { createServiceClient } from '@app/kit/client'
import { waitFor } from '@app/kit/testing'
import { createContacts } from '../src/recipients/contacts.ts'

const CONTACT = {
  userId: 'u1',
  email: 'buyer@example.com',
  phone: null,
  emailVerified: true,
  phoneVerified: false,
  locale: 'en',
  name: 'Buyer',
  preferences: { channels: { email: true, sms: true }, events: {} }
}

/** A user service whose answers wait until the test releases them. */
async function heldUserService (t: { after(fn: () => Promise<void>): void }) {
  const held: ServerResponse[] = []
  const server = createServer((_req, res) => { held.push(res) })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  t.after(() => new Promise<void>(resolve => { server.closeAllConnections(); server.close(() => resolve()) }))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    held,
    release (i: number) {
      held[i]!.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(CONTACT))
    }
  }
}

describe('contacts of a user (from the user service)', () => {
  it('asks once for a burst of events about one user, and asks events newer than that question together once more', async (t) => {
    const users = await heldUserService(t)
    let clock = 1000
    const cache = createMemoryCache()
    t.after(() => cache.close())
    const contacts = createContacts({
      client: createServiceClient({ baseUrls: [users.url], timeoutMs: 5000 }),
      cache,
      ttlSeconds: 30,
      log: pino({ level: 'silent' }),
      now: () => clock
    })
    // Five orders made before the question leaves (at 1000) share it.
    const burst = Array.from({ length: 5 }, () => contacts.find('u1', { notBefore: new Date(900) }))
    await waitFor(() => users.held.length === 1)
    clock = 2000
    // Three made after it left (1500) must not use its answer: they wait for the next question, and share it.
    const later = Array.from({ length: 3 }, () => contacts.find('u1', { notBefore: new Date(1500) }))
    users.release(0)
    assert.deepEqual(await Promise.all(burst), burst.map(() => CONTACT))
    await waitFor(() => users.held.length === 2)
    users.release(1)
    assert.deepEqual(await Promise.all(later), later.map(() => CONTACT))
    assert.equal(users.held.length, 2)
  })
})
