import { createSocket } from 'node:dgram'

const TYPE_A = 1
const NXDOMAIN = 3

/**
 * A real DNS server on UDP for the tests: it answers A queries for the names
 * `set` gives addresses (TTL 0), NODATA for their other types, NXDOMAIN for
 * the rest. The answers change while a test runs, as a Kubernetes headless
 * service's do when pods come and go.
 */
export async function startDnsServer () {
  const records = new Map<string, string[]>()
  let queries = 0
  const socket = createSocket('udp4')
  socket.on('message', (query, peer) => {
    queries++
    const labels: string[] = []
    let offset = 12
    while (query[offset]! > 0) {
      const length = query[offset]!
      labels.push(query.subarray(offset + 1, offset + 1 + length).toString('latin1'))
      offset += length + 1
    }
    const type = query.readUInt16BE(offset + 1)
    const questionEnd = offset + 5
    const addresses = records.get(labels.join('.').toLowerCase())
    const answers = addresses && type === TYPE_A ? addresses : []
    const header = Buffer.alloc(12)
    header.writeUInt16BE(query.readUInt16BE(0), 0)
    // A response (QR), the query's opcode and RD, authoritative, recursion available, and the result code.
    header.writeUInt16BE(0x8000 | (query.readUInt16BE(2) & 0x7900) | 0x0400 | 0x0080 | (addresses ? 0 : NXDOMAIN), 2)
    header.writeUInt16BE(1, 4)
    header.writeUInt16BE(answers.length, 6)
    const answerRecords = answers.map(address => {
      const record = Buffer.alloc(16)
      record.writeUInt16BE(0xc00c, 0) // the name: a pointer to the question's
      record.writeUInt16BE(TYPE_A, 2)
      record.writeUInt16BE(1, 4) // class IN
      record.writeUInt32BE(0, 6) // TTL
      record.writeUInt16BE(4, 10)
      address.split('.').forEach((octet, i) => { record[12 + i] = Number(octet) })
      return record
    })
    socket.send(Buffer.concat([header, query.subarray(12, questionEnd), ...answerRecords]), peer.port, peer.address)
  })
  await new Promise<void>(resolve => socket.bind(0, '127.0.0.1', resolve))
  return {
    /** `ip:port`, as GATEWAY_DNS_SERVERS takes it. */
    address: `127.0.0.1:${socket.address().port}`,
    /** The name's A records from now on; `undefined` makes it unknown (NXDOMAIN). */
    set (name: string, addresses: string[] | undefined) {
      if (addresses) records.set(name, addresses)
      else records.delete(name)
    },
    get queries () { return queries },
    close: () => new Promise<void>(resolve => socket.close(() => resolve()))
  }
}
