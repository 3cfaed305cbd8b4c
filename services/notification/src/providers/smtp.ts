import nodemailer from 'nodemailer'
import type { NodemailerError } from 'nodemailer'
import { errorText, permanent, retryable } from './provider.ts'
import type { Provider, SendOutcome } from './provider.ts'

export interface SmtpOptions {
  /** `smtp://user:pass@host:587` or `smtps://...`; when set, host, port, secure, user and pass are read from it. */
  url?: string | undefined
  host?: string | undefined
  port: number
  secure: boolean
  user?: string | undefined
  pass?: string | undefined
  from: string
  timeoutMs: number
  maxConnections: number
}

function server (options: SmtpOptions) {
  if (!options.url) return { host: options.host, port: options.port, secure: options.secure, user: options.user, pass: options.pass }
  const url = new URL(options.url)
  const secure = url.protocol === 'smtps:'
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : (secure ? 465 : 587),
    secure,
    user: url.username ? decodeURIComponent(url.username) : undefined,
    pass: url.password ? decodeURIComponent(url.password) : undefined
  }
}

/**
 * What a failed send means for the next attempt. An SMTP reply decides when
 * there is one (5xx is a permanent rejection, except 503 which only says the
 * session was in the wrong state; 4xx is transient). Without a reply the
 * connection failed (refused, timed out, TLS) or the credentials were refused:
 * neither is the message's fault, so it is tried again.
 */
export function classifySmtpError (err: unknown): SendOutcome {
  const e = err as NodemailerError
  const reply = e.rejectedErrors?.[0] ?? e
  const text = errorText(`smtp ${e.code ?? 'error'}: ${reply.response ?? e.message}`)
  if (typeof reply.responseCode === 'number') {
    const isPermanent = reply.permanent ?? (reply.responseCode >= 500 && reply.responseCode !== 503)
    return isPermanent && e.code !== 'EAUTH' ? permanent(text) : retryable(text)
  }
  // An envelope the client itself refused (no valid recipient address) fails the same way every time.
  if (e.code === 'EENVELOPE') return permanent(text)
  return retryable(text)
}

/** Email over SMTP with pooled connections; text and HTML bodies as multipart/alternative. */
export function createSmtpProvider (options: SmtpOptions): Provider {
  const { host, port, secure, user, pass } = server(options)
  const transport = nodemailer.createTransport({
    pool: true,
    host,
    port,
    secure,
    ...(user ? { auth: { user, pass } } : {}),
    maxConnections: options.maxConnections,
    connectionTimeout: options.timeoutMs,
    greetingTimeout: options.timeoutMs,
    socketTimeout: options.timeoutMs
  })
  return {
    name: 'smtp',
    async send (message, deliveryKey) {
      try {
        const info = await transport.sendMail({
          // The same on a repeated attempt, so a receiving system can tell it is one message.
          messageId: `<${deliveryKey}@gatehouse>`,
          from: options.from,
          to: message.to,
          subject: message.subject ?? '',
          text: message.text,
          ...(message.html ? { html: message.html } : {})
        })
        return { ok: true, messageId: String(info.messageId) }
      } catch (err) {
        return classifySmtpError(err)
      }
    },
    async close () {
      transport.close()
    }
  }
}
