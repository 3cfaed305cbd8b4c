import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export interface SunkMail {
  messageId: string
  to: string[]
  subject: string
  text: string
}

const SCRIPT = fileURLToPath(new URL('./smtp-sink.ts', import.meta.url))
const USER = 'faults'
const PASS = 'faults-smtp-pass'

/** Starts the SMTP sink process and collects what it reports; resolves once it listens. */
export async function startSmtpSink () {
  const mails: SunkMail[] = []
  const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT], {
    env: { ...process.env, SMTP_SINK_USER: USER, SMTP_SINK_PASS: PASS },
    stdio: ['ignore', 'pipe', 'inherit']
  })
  const killChild = () => { child.kill('SIGKILL') }
  process.once('exit', killChild)
  let stopping = false
  let exited: string | undefined
  child.once('exit', (code, signal) => {
    process.removeListener('exit', killChild)
    if (!stopping) exited = `the SMTP sink exited (${code ?? signal})`
  })

  const port = await new Promise<number>((resolve, reject) => {
    let buffered = ''
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString()
      const lines = buffered.split('\n')
      buffered = lines.pop() ?? ''
      for (const line of lines) {
        const parsed = JSON.parse(line) as { port?: number } & SunkMail
        if (parsed.port) resolve(parsed.port)
        else mails.push(parsed)
      }
    })
    child.once('exit', () => reject(new Error('the SMTP sink exited before listening')))
  })

  return {
    /** NOTIFY_SMTP_URL for the notification service. */
    url: `smtp://${USER}:${PASS}@127.0.0.1:${port}`,
    mails,
    /** Why the sink is gone when the test did not stop it. */
    crashed: () => exited,
    stop: () => new Promise<void>(resolve => {
      stopping = true
      if (child.exitCode !== null || child.signalCode !== null) return resolve()
      child.once('exit', () => resolve())
      child.kill('SIGTERM')
    })
  }
}

export type SmtpSink = Awaited<ReturnType<typeof startSmtpSink>>
