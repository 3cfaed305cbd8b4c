import { Type } from '@sinclair/typebox'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { App } from '@app/kit/http'
import { acceptFormPosts, escapeHtml, linkPage, sendLinkPage } from '@app/kit/http'
import { isAppError } from '@app/kit/errors'
import type { PasswordService } from '../password-service.ts'
import { ResetToken } from '../schemas.ts'

const FORM_PATH = '/api/v1/password/reset/form'

function form (token: string, error?: string): string {
  return linkPage('Choose a new password', `${error ? `<p class="error">${escapeHtml(error)}</p>` : ''}
<form method="post" action="${FORM_PATH}">
<input type="hidden" name="token" value="${escapeHtml(token)}">
<label for="newPassword">New password (8 to 128 characters)</label>
<input id="newPassword" name="newPassword" type="password" autocomplete="new-password" minlength="8" maxlength="128" required autofocus>
<label for="confirmPassword">Repeat it</label>
<input id="confirmPassword" name="confirmPassword" type="password" autocomplete="new-password" minlength="8" maxlength="128" required>
<button type="submit">Set new password</button>
</form>`)
}

const EXPIRED = linkPage('This link no longer works', '<p>The reset link is invalid, expired or was already used. Ask for a new one from the app.</p>')

const hidden = { hide: true }

/**
 * The page a reset link opens. Mail scanners fetch links before people do, so
 * the GET only shows a form; the token is spent by the form's POST.
 */
export async function resetPageRoutes (app: App, passwords: PasswordService, isLive: (token: string) => Promise<boolean>): Promise<void> {
  app.get('/api/v1/password/reset', {
    schema: { ...hidden, querystring: Type.Object({ token: Type.Optional(Type.String({ maxLength: 200 })) }) }
  }, async (request, reply) => {
    const token = request.query.token ?? ''
    const valid = /^[A-Za-z0-9_-]{20,100}$/.test(token) && await isLive(token)
    return sendLinkPage(reply, valid ? 200 : 400, valid ? form(token) : EXPIRED)
  })

  // Browsers post forms url-encoded; this route alone accepts that.
  await app.register(async (scope) => {
    acceptFormPosts(scope)
    scope.withTypeProvider<TypeBoxTypeProvider>().post(FORM_PATH, {
      schema: {
        ...hidden,
        body: Type.Object({ token: ResetToken, newPassword: Type.String({ maxLength: 1024 }), confirmPassword: Type.String({ maxLength: 1024 }) })
      }
    }, async (request, reply) => {
      const { token, newPassword, confirmPassword } = request.body
      if (newPassword !== confirmPassword) return sendLinkPage(reply, 400, form(token, 'The two passwords differ.'))
      try {
        await passwords.resetWithToken(token, newPassword, request.id)
      } catch (err) {
        if (!isAppError(err) || err.status >= 500) throw err
        if (err.code === 'reset_token_invalid') return sendLinkPage(reply, 400, EXPIRED)
        const reason = err.errors?.[0] ? `The new password ${err.errors[0].message}.` : err.detail
        return sendLinkPage(reply, 400, form(token, reason))
      }
      return sendLinkPage(reply, 200, linkPage('Password changed', '<p>Your password was changed and every device was signed out. You can now log in with the new password.</p>'))
    })
  })
}
