import { Type } from '@sinclair/typebox'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { App } from '@app/kit/http'
import { acceptFormPosts, escapeHtml, linkPage, problemResponses, sendLinkPage } from '@app/kit/http'
import { isAppError } from '@app/kit/errors'
import type { EmailChangeService } from '../email-change-service.ts'
import { UndoEmailChangeBodySchema, UndoneSchema } from '../schemas.ts'

const UNDO_PATH = '/api/v1/users/email-change/undo'
const FORM_PATH = `${UNDO_PATH}/form`
const hidden = { hide: true }

function confirmForm (token: string): string {
  return linkPage('Undo the email change', `<p>Someone changed the email address of your account. If it was not you, press the button:
your previous address is restored and every session of the account is signed out.</p>
<form method="post" action="${FORM_PATH}">
<input type="hidden" name="token" value="${escapeHtml(token)}">
<button type="submit">Undo the change</button>
</form>`)
}

const EXPIRED = linkPage('This link no longer works', '<p>The undo link is invalid, expired or was already used.</p>')
const TAKEN = linkPage('This address cannot be restored', '<p>Another account has registered the previous address since. ' +
  'Nothing was changed and no session was signed out; sign in and change your password if you did not request the change.</p>')
const undone = (email: string) => linkPage('Change undone', `<p>The account's email is ${escapeHtml(email)} again and every session has been signed out. ` +
  'Sign in again, and change your password if you did not request the change.</p>')

/**
 * The link sent to the previous address after an email change. Mail scanners
 * fetch links before people do, so the GET only shows a button; the token is
 * spent by the form's POST (or by the JSON POST of an app's own page).
 */
export async function emailChangeRoutes (app: App, emailChange: EmailChangeService): Promise<void> {
  app.get(UNDO_PATH, {
    schema: { ...hidden, querystring: Type.Object({ token: Type.Optional(Type.String({ maxLength: 200 })) }) }
  }, async (request, reply) => {
    const token = request.query.token ?? ''
    const live = await emailChange.isUndoLive(token)
    return sendLinkPage(reply, live ? 200 : 400, live ? confirmForm(token) : EXPIRED)
  })

  app.post(UNDO_PATH, {
    schema: {
      tags: ['users'],
      summary: 'Undo an email change with the token from the link sent to the previous address',
      description: 'Restores the previous email (with its verification), whether or not the new one was verified yet, drops a pending one, ' +
        'ends every session of the account and spends the account\'s undo links created at or after this one (older ones stay live). ' +
        'Emits `user.email_change_undone`. Tokens are single use and live `USER_EMAIL_CHANGE_UNDO_TTL_SECONDS` (7 days); ' +
        '400 `email_change_undo_invalid` otherwise; 409 `conflict`, with nothing ended or spent, when another account has registered the previous email since.',
      body: UndoEmailChangeBodySchema,
      response: { 200: UndoneSchema, ...problemResponses(400, 409, 503) }
    }
  }, async (request) => ({ email: (await emailChange.undo(request.body.token, request.id)).email! }))

  // Browsers post forms url-encoded; this route alone accepts that.
  await app.register(async (scope) => {
    acceptFormPosts(scope)
    scope.withTypeProvider<TypeBoxTypeProvider>().post(FORM_PATH, {
      schema: { ...hidden, body: Type.Object({ token: Type.String({ maxLength: 200 }) }) }
    }, async (request, reply) => {
      try {
        const user = await emailChange.undo(request.body.token, request.id)
        return sendLinkPage(reply, 200, undone(user.email!))
      } catch (err) {
        if (!isAppError(err) || err.status >= 500) throw err
        return err.status === 409 ? sendLinkPage(reply, 409, TAKEN) : sendLinkPage(reply, 400, EXPIRED)
      }
    })
  })
}
