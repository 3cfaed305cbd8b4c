import { Type } from '@sinclair/typebox'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { App } from '@app/kit/http'
import { acceptFormPosts, escapeHtml, linkPage, sendLinkPage } from '@app/kit/http'
import { isAppError } from '@app/kit/errors'
import type { EmailVerificationService } from '../email-verification-service.ts'

const FORM_PATH = '/api/v1/email-verification/verify/form'
const TOKEN_FORMAT = /^[A-Za-z0-9_-]{20,100}$/

function confirmForm (token: string): string {
  return linkPage('Confirm your email address', `<p>Press the button to confirm that this email address is yours.</p>
<form method="post" action="${FORM_PATH}">
<input type="hidden" name="token" value="${escapeHtml(token)}">
<button type="submit">Confirm my email</button>
</form>`)
}

const EXPIRED = linkPage('This link no longer works', '<p>The verification link is invalid, expired, was already used, or a newer one was sent. Ask for a new one from the app.</p>')
const CHANGED = linkPage('This address is no longer on the account', '<p>The link was sent to an email address the account no longer has. Use the link sent to the current address, or ask for a new one.</p>')
const verified = (email: string) => linkPage('Email confirmed', `<p>${escapeHtml(email)} is now verified. You can close this page.</p>`)

const hidden = { hide: true }

/**
 * The page a verification link opens. Mail scanners fetch links before people
 * do, so the GET only shows a button; the token is spent by the form's POST.
 */
export async function verifyPageRoutes (app: App, verification: EmailVerificationService): Promise<void> {
  app.get('/api/v1/email-verification/verify', {
    schema: { ...hidden, querystring: Type.Object({ token: Type.Optional(Type.String({ maxLength: 200 })) }) }
  }, async (request, reply) => {
    const token = request.query.token ?? ''
    const live = TOKEN_FORMAT.test(token) && await verification.isLive(token)
    return sendLinkPage(reply, live ? 200 : 400, live ? confirmForm(token) : EXPIRED)
  })

  // Browsers post forms url-encoded; this route alone accepts that.
  await app.register(async (scope) => {
    acceptFormPosts(scope)
    scope.withTypeProvider<TypeBoxTypeProvider>().post(FORM_PATH, {
      schema: { ...hidden, body: Type.Object({ token: Type.String({ maxLength: 200 }) }) }
    }, async (request, reply) => {
      const { token } = request.body
      if (!TOKEN_FORMAT.test(token)) return sendLinkPage(reply, 400, EXPIRED)
      try {
        const { email } = await verification.verify(token, request.id)
        return sendLinkPage(reply, 200, verified(email))
      } catch (err) {
        if (!isAppError(err) || err.status >= 500) throw err
        return sendLinkPage(reply, 400, err.code === 'verification_email_changed' ? CHANGED : EXPIRED)
      }
    })
  })
}
