// A real SMTP server in its own process, what the notification service sends to.
// stdout, one JSON object per line: first {"port"}, then one {"messageId","to","subject","text"}
// per message accepted; the parent counts them. Credentials come from SMTP_SINK_USER/SMTP_SINK_PASS.
import { SMTPServer } from 'smtp-server'
import type { AddressInfo } from 'node:net'
import { parseMail } from '../../services/notification/test/smtp-server.ts'

const user = process.env.SMTP_SINK_USER ?? 'sink'
const pass = process.env.SMTP_SINK_PASS ?? 'sink'
const emit = (line: object) => process.stdout.write(JSON.stringify(line) + '\n')

const server = new SMTPServer({
  disabledCommands: ['STARTTLS'],
  allowInsecureAuth: true,
  logger: false,
  onAuth (auth, _session, callback) {
    if (auth.username === user && auth.password === pass) return callback(null, { user })
    callback(new Error('Invalid username or password'))
  },
  onData (stream, session, callback) {
    const chunks: Buffer[] = []
    stream.on('data', (chunk: Buffer) => chunks.push(chunk))
    stream.on('end', () => {
      const mail = parseMail(Buffer.concat(chunks).toString('utf8'))
      emit({ messageId: mail.headers['message-id'] ?? '', to: session.envelope.rcptTo.map(r => r.address), subject: mail.subject, text: mail.text })
      callback()
    })
  }
})
server.on('error', err => process.stderr.write(`smtp sink: ${err.message}\n`))
server.listen(0, '127.0.0.1', () => emit({ port: (server.server.address() as AddressInfo).port }))
process.once('SIGTERM', () => server.close(() => process.exit(0)))
