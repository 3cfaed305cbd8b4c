import type { App } from '@app/kit/http'
import { sendProblem } from '@app/kit/http'
import { KitErrors } from '@app/kit/errors'

/** Answers a request whose URL (path and query) is longer than `maxLength` 414, before it is routed anywhere. */
export function installUrlLengthLimit (app: App, maxLength: number): void {
  app.addHook('onRequest', (request, reply, done) => {
    if (request.url.length <= maxLength) return done()
    sendProblem(request, reply, KitErrors.uri_too_long(`The URL is longer than ${maxLength} characters`))
  })
}
