import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { randomBytes } from 'node:crypto'

export const ACCOUNT_SID = `AC${'0123456789abcdef'.repeat(2)}`
export const AUTH_TOKEN = 'twilio-test-auth-token-0123'
export const FROM = '+15005550006'

export interface TwilioRequest {
  at: number
  path: string
  authorized: boolean
  form: Record<string, string>
}

/**
 * Stands in for api.twilio.com: answers a Messages create as Twilio does
 * (201 with the message resource), but only for the exact request Twilio
 * expects: the account's path, basic auth with SID and token, a form body.
 * `To` numbers choose the error cases: +15005550001 is invalid (400, code
 * 21211, as Twilio's test credentials answer), +15005550429 is rate limited
 * (429 with Retry-After: 1) on its first request; while `down()` says so, every
 * request gets 503.
 */
export async function startTwilioServer (options: { down?: () => boolean } = {}) {
  const requests: TwilioRequest[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const answer = (status: number, body: object, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers })
        res.end(JSON.stringify(body))
      }
      const expectedAuth = `Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}`
      const authorized = req.headers.authorization === expectedAuth
      const form = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')))
      requests.push({ at: Date.now(), path: req.url ?? '', authorized, form })
      if (!authorized) {
        return answer(401, { code: 20003, message: 'Authenticate', more_info: 'https://www.twilio.com/docs/errors/20003', status: 401 })
      }
      if (req.method !== 'POST' || req.url !== `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`) {
        return answer(404, { code: 20404, message: 'The requested resource was not found', status: 404 })
      }
      if (!String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded')) {
        return answer(415, { message: 'Unsupported Media Type', status: 415 })
      }
      if (!form.To || !form.Body || !(form.From || form.MessagingServiceSid)) {
        return answer(400, { code: 21604, message: 'A \'To\' phone number is required.', status: 400 })
      }
      if (options.down?.()) {
        return answer(503, { code: 20503, message: 'Service Unavailable', status: 503 })
      }
      if (form.To === '+15005550001') {
        return answer(400, { code: 21211, message: `The 'To' number ${form.To} is not a valid phone number.`, more_info: 'https://www.twilio.com/docs/errors/21211', status: 400 })
      }
      if (form.To === '+15005550429' && requests.filter(r => r.form.To === form.To).length === 1) {
        return answer(429, { code: 20429, message: 'Too Many Requests', status: 429 }, { 'retry-after': '1' })
      }
      const sid = `SM${randomBytes(16).toString('hex')}`
      answer(201, {
        sid,
        account_sid: ACCOUNT_SID,
        to: form.To,
        from: form.From ?? null,
        messaging_service_sid: form.MessagingServiceSid ?? null,
        body: form.Body,
        status: 'queued',
        num_segments: '1',
        direction: 'outbound-api',
        api_version: '2010-04-01',
        date_created: new Date().toUTCString(),
        uri: `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages/${sid}.json`
      })
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    to: (number: string) => requests.filter(r => r.form.To === number),
    close: () => new Promise<void>(resolve => { server.closeAllConnections(); server.close(() => resolve()) })
  }
}
