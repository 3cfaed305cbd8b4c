import { Type } from '@sinclair/typebox'
import type { FastifyReply } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { App } from '@app/kit/http'
import { isAppError } from '@app/kit/errors'
import type { PasswordService } from '../password-service.ts'
import { ResetToken } from '../schemas.ts'

// No script at all: a form that posts, styled inline. Nothing else may load.
const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
const FORM_PATH = '/api/v1/password/reset/form'

const escape = (s: string) => s.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`)

function page (title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>${escape(title)}</title>
<style>body{font:16px system-ui,sans-serif;max-width:26rem;margin:3rem auto;padding:0 1rem;color:#222}
label{display:block;margin:.75rem 0 .25rem}input{width:100%;padding:.5rem;font:inherit;box-sizing:border-box}
button{margin-top:1rem;padding:.6rem 1.2rem;font:inherit;cursor:pointer}.error{color:#a00}</style></head>
<body><h1>${escape(title)}</h1>${body}</body></html>`
}

function form (token: string, error?: string): string {
  return page('Choose a new password', `${error ? `<p class="error">${escape(error)}</p>` : ''}
<form method="post" action="${FORM_PATH}">
<input type="hidden" name="token" value="${escape(token)}">
<label for="newPassword">New password (8 to 128 characters)</label>
<input id="newPassword" name="newPassword" type="password" autocomplete="new-password" minlength="8" maxlength="128" required autofocus>
<label for="confirmPassword">Repeat it</label>
<input id="confirmPassword" name="confirmPassword" type="password" autocomplete="new-password" minlength="8" maxlength="128" required>
<button type="submit">Set new password</button>
</form>`)
}

const EXPIRED = page('This link no longer works', '<p>The reset link is invalid, expired or was already used. Ask for a new one from the app.</p>')

function html (reply: FastifyReply, status: number, body: string) {
  return reply.code(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('content-security-policy', PAGE_CSP)
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .send(body)
}

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
    return html(reply, valid ? 200 : 400, valid ? form(token) : EXPIRED)
  })

  // Browsers post forms url-encoded; this route alone accepts that.
  await app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)))
    })
    scope.withTypeProvider<TypeBoxTypeProvider>().post(FORM_PATH, {
      schema: {
        ...hidden,
        body: Type.Object({ token: ResetToken, newPassword: Type.String({ maxLength: 1024 }), confirmPassword: Type.String({ maxLength: 1024 }) })
      }
    }, async (request, reply) => {
      const { token, newPassword, confirmPassword } = request.body
      if (newPassword !== confirmPassword) return html(reply, 400, form(token, 'The two passwords differ.'))
      try {
        await passwords.resetWithToken(token, newPassword, request.id)
      } catch (err) {
        if (!isAppError(err) || err.status >= 500) throw err
        if (err.code === 'reset_token_invalid') return html(reply, 400, EXPIRED)
        const reason = err.errors?.[0] ? `The new password ${err.errors[0].message}.` : err.detail
        return html(reply, 400, form(token, reason))
      }
      return html(reply, 200, page('Password changed', '<p>Your password was changed and every device was signed out. You can now log in with the new password.</p>'))
    })
  })
}
