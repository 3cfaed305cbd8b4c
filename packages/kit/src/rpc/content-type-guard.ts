import type { onRequestHookHandler } from 'fastify'
import { KitErrors } from '../errors/index.ts'

// Connect answers these content types on a unary procedure with a bare 415 (no body, no
// content type): a JSON or binary body in another charset than UTF-8, and the streaming types.
const STREAMING = /^application\/connect\+/
const UNARY = /^application\/(json|proto)$/

/**
 * Refuses up front, as problem+json like every other 415 of the platform, the
 * content types the Connect protocol would refuse with an empty 415, so that
 * the procedures' documented answers hold (see openapi.ts).
 */
export const refuseUnservedContentTypes: onRequestHookHandler = (request, _reply, done) => {
  const contentType = request.headers['content-type']
  // What clients send on nearly every call: nothing to take apart.
  if (contentType === 'application/json' || contentType === 'application/proto') return done()
  const [media = '', ...params] = (contentType ?? '').toLowerCase().split(';').map(part => part.trim())
  const charset = params.find(p => p.startsWith('charset='))?.slice('charset='.length).replace(/"/g, '')
  if (STREAMING.test(media)) return done(KitErrors.unsupported_media_type('Only unary procedures are served: send application/json or application/proto'))
  if (UNARY.test(media) && charset !== undefined && charset !== 'utf-8') {
    return done(KitErrors.unsupported_media_type(`Connect takes ${media} in UTF-8 only`))
  }
  done()
}
