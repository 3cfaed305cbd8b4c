import type { Db } from '../db/index.ts'
import type { Bus } from '../bus/index.ts'

function unsupported (service: string, what: string) {
  return () => { throw new Error(`the ${service} service is stateless: it has no ${what}`) }
}

/** The database of a stateless service: any use throws, naming the service; closing does nothing. */
export function noDatabase (service: string): Db {
  const fail = unsupported(service, 'database')
  return { kind: 'postgres', schema: '', query: fail, exec: fail, tx: fail, ping: fail, close: async () => {} }
}

/** The bus of a stateless service: any use throws, naming the service; it is never connected. */
export function noBus (service: string): Bus {
  const fail = unsupported(service, 'bus')
  return { kind: 'memory', publish: fail, subscribe: fail, deadLetters: fail, replayDeadLetters: fail, countDeadLetters: fail, isConnected: () => false, ping: fail, close: async () => {} }
}
