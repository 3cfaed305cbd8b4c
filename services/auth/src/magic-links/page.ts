import { Type } from '@sinclair/typebox'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { App } from '@app/kit/http'
import { acceptFormPosts, escapeHtml, linkPage } from '@app/kit/http'
import { isAppError } from '@app/kit/errors'
import { presentedNonce } from './browser-cookie.ts'
import type { LiveLink, MagicLinks, Requester } from './magic-links.ts'
import { SECRET_FORMAT } from './secrets.ts'

export const VERIFY_PATH = '/api/v1/auth/magic-link/verify'
const FORM_PATH = '/api/v1/auth/magic-link/verify/form'

const when = (at: Date) => new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(at) + ' UTC'

function confirmForm (token: string, link: LiveLink): string {
  const hiddenToken = `<input type="hidden" name="token" value="${escapeHtml(token)}">`
  if (link.sameBrowser) {
    return linkPage('Sign in', `<p>Press the button to finish signing in.</p>
<form method="post" action="${FORM_PATH}">${hiddenToken}<button type="submit">Sign in</button></form>`)
  }
  // Another browser than the one that asked (the mail opened on a phone, a corporate scanner, or someone else's request):
  // it still works, but only after the person reads who asked and says this device is theirs.
  return linkPage('Sign in on this device?', `<p>You are signing in on <strong>this device</strong>, but the link was requested from
<strong>${escapeHtml(link.requestedAgent)}</strong> on the network ${escapeHtml(link.requestedNetwork)} at ${escapeHtml(when(link.requestedAt))}.</p>
<p>Continue only if you asked for this link. If you did not, close this page: nothing happens.</p>
<form method="post" action="${FORM_PATH}">${hiddenToken}<input type="hidden" name="confirmDevice" value="true">
<button type="submit">Yes, sign in on this device</button></form>`)
}

const DEAD = linkPage('This link no longer works', '<p>The sign-in link is invalid, expired or was already used. Ask for a new one from the app.</p>')
const CROSS_SITE = linkPage('Open the link from your email', '<p>This sign-in was sent from another site, so it was not accepted. Open the link from the email you received and press the button there.</p>')
const NO_RETURN = linkPage('Open this link in the app', '<p>This sign-in link has no app to return to. Open it from the app that asked for it, or ask for a new one there.</p>')

/**
 * Login CSRF: another site could auto-submit this form with a link of its own owner's account (confirmDevice
 * included) and sign the visitor into it. Browsers say where a form came from: `Sec-Fetch-Site`, or failing
 * that `Origin`. A request with neither (not a browser, or a very old one) has no cross-site page behind it.
 */
function postedFromAnotherSite (request: FastifyRequest, pageOrigin: string): boolean {
  const site = request.headers['sec-fetch-site']
  if (typeof site === 'string') return site !== 'same-origin'
  const origin = request.headers.origin
  return typeof origin === 'string' && origin !== pageOrigin
}

/** linkPage's rules (no script, no caching, no referrer), with the form allowed to lead on to the app it returns to. */
function sendPage (reply: FastifyReply, status: number, page: string, returnOrigin?: string) {
  const formAction = returnOrigin ? `'self' ${returnOrigin}` : "'self'"
  return reply.code(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('content-security-policy', `default-src 'none'; style-src 'unsafe-inline'; form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'`)
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .send(page)
}

const hidden = { hide: true }

/**
 * The page a magic link opens. Mail scanners fetch links before people do, so the GET only shows a button;
 * the link is spent by the form's POST, which sends the browser back to the app with a one-time code.
 */
export async function magicLinkPageRoutes (app: App, links: MagicLinks, requester: (request: FastifyRequest) => Requester, pageOrigin: string): Promise<void> {
  app.get(VERIFY_PATH, {
    schema: { ...hidden, querystring: Type.Object({ token: Type.Optional(Type.String({ maxLength: 200 })) }) }
  }, async (request, reply) => {
    const token = request.query.token ?? ''
    const link = SECRET_FORMAT.test(token) ? await links.open(token, presentedNonce(request)) : undefined
    if (!link) return sendPage(reply, 400, DEAD)
    if (!link.redirectTo) return sendPage(reply, 400, NO_RETURN)
    return sendPage(reply, 200, confirmForm(token, link), new URL(link.redirectTo).origin)
  })

  // Browsers post forms url-encoded; this route alone accepts that.
  await app.register(async (scope) => {
    acceptFormPosts(scope)
    scope.withTypeProvider<TypeBoxTypeProvider>().post(FORM_PATH, {
      schema: { ...hidden, body: Type.Object({ token: Type.String({ maxLength: 200 }), confirmDevice: Type.Optional(Type.String({ maxLength: 10 })) }) }
    }, async (request, reply) => {
      if (postedFromAnotherSite(request, pageOrigin)) return sendPage(reply, 403, CROSS_SITE)
      const { token } = request.body
      const nonce = presentedNonce(request)
      const link = SECRET_FORMAT.test(token) ? await links.open(token, nonce) : undefined
      if (link && !link.redirectTo) return sendPage(reply, 400, NO_RETURN)
      try {
        const location = await links.confirmOnPage(SECRET_FORMAT.test(token) ? token : '', {
          ...requester(request), nonce, confirmDevice: request.body.confirmDevice === 'true', requestId: request.id
        })
        return reply.code(303).header('location', location).header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').send()
      } catch (err) {
        if (!isAppError(err) || err.status >= 500) throw err
        if (err.code === 'magic_link_other_device' && link) return sendPage(reply, 409, confirmForm(token, { ...link, sameBrowser: false }))
        return sendPage(reply, err.status, DEAD)
      }
    })
  })
}
