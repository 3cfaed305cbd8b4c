import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'

/** A TCP port that was free a moment ago: for child processes and listeners a test must name up front. */
export async function freePort (): Promise<number> {
  const server = createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>(resolve => server.close(() => resolve()))
  return port
}
