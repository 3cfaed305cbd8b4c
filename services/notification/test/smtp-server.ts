import { SMTPServer } from 'smtp-server'
import type { AddressInfo } from 'node:net'

export interface ReceivedMail {
  from: string
  to: string[]
  headers: Record<string, string>
  subject: string
  text: string
  html: string
}

/** Undoes RFC 2047 encoded words (`=?UTF-8?Q?...?=`) in a header. */
function decodeHeader (value: string): string {
  return value.replace(/=\?([^?]+)\?([QB])\?([^?]*)\?=\s*/gi, (_m, _charset: string, encoding: string, text: string) =>
    encoding.toUpperCase() === 'B'
      ? Buffer.from(text, 'base64').toString('utf8')
      : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_x, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8'))
}

function decodeBody (body: string, encoding: string | undefined): string {
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
  if (encoding === 'quoted-printable') {
    const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    return Buffer.from(bytes, 'latin1').toString('utf8')
  }
  return body
}

function splitHeaders (raw: string): { headers: Record<string, string>, body: string } {
  const end = raw.indexOf('\r\n\r\n')
  const head = raw.slice(0, end).replace(/\r\n[ \t]+/g, ' ')
  const headers: Record<string, string> = {}
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':')
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
  }
  return { headers, body: raw.slice(end + 4) }
}

/** Just enough MIME for what nodemailer writes: one part, or multipart/alternative with text and HTML. */
export function parseMail (raw: string): Pick<ReceivedMail, 'headers' | 'subject' | 'text' | 'html'> {
  const { headers, body } = splitHeaders(raw)
  const parts: Record<string, string> = {}
  const boundary = /boundary="?([^";]+)"?/.exec(headers['content-type'] ?? '')?.[1]
  const sections = boundary ? body.split(`--${boundary}`).slice(1, -1).map(p => p.replace(/^\r\n/, '')) : [raw]
  for (const section of sections) {
    const part = splitHeaders(section)
    const type = (part.headers['content-type'] ?? 'text/plain').split(';')[0]!.trim()
    parts[type] = decodeBody(part.body.replace(/\r\n$/, ''), part.headers['content-transfer-encoding']).replace(/\r\n/g, '\n')
  }
  return { headers, subject: decodeHeader(headers.subject ?? ''), text: parts['text/plain'] ?? '', html: parts['text/html'] ?? '' }
}

export interface SmtpServerOptions {
  user: string
  pass: string
  /** The SMTP reply code refusing a recipient at this attempt (1 for its first), or undefined to accept it. */
  refuse?: (address: string, attempt: number) => number | undefined
}

/** A real SMTP server (smtp-server) on a free port, keeping what it received. */
export async function startSmtpServer (options: SmtpServerOptions) {
  const received: ReceivedMail[] = []
  const attempts = new Map<string, number>()
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth (auth, _session, callback) {
      if (auth.username === options.user && auth.password === options.pass) return callback(null, { user: auth.username })
      callback(new Error('Invalid username or password'))
    },
    onRcptTo (address, _session, callback) {
      const attempt = (attempts.get(address.address) ?? 0) + 1
      attempts.set(address.address, attempt)
      const code = options.refuse?.(address.address, attempt)
      if (!code) return callback()
      const err = new Error(code >= 500 ? 'No such user here' : 'Mailbox busy, try again later') as Error & { responseCode: number }
      err.responseCode = code
      callback(err)
    },
    onData (stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map(r => r.address),
          ...parseMail(Buffer.concat(chunks).toString('utf8'))
        })
        callback()
      })
    }
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  return {
    port: (server.server.address() as AddressInfo).port,
    received,
    /** How often a recipient was offered (RCPT TO), accepted or not. */
    attemptsFor: (address: string) => attempts.get(address) ?? 0,
    close: () => new Promise<void>(resolve => server.close(() => resolve()))
  }
}
