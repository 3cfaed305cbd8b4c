import { randomBytes } from 'node:crypto'
import { uniquePhone } from '@app/kit/testing'
import type { Auth } from './fuzz-case.ts'
import { sendRaw } from './raw-request.ts'

export const FUZZ_ADMIN = { email: `fuzz.admin.${randomBytes(4).toString('hex')}@example.com`, password: 'fuzz admin passphrase' }
const PASSWORD = 'fuzz user passphrase'

interface Account { email: string, password: string }

/**
 * Bearer tokens for a fresh user and the administrator. The fuzzer may end
 * their sessions (logout-all) or change the user; `refresh` logs in again, or
 * registers a new user when the old one no longer logs in.
 */
export function fuzzSession (baseUrl: () => string) {
  const tokens: { user?: string, admin?: string } = {}
  let user: Account | undefined
  let userId = ''

  const post = async (path: string, body: unknown) => {
    const res = await sendRaw(baseUrl(), { method: 'POST', path, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
    return { status: res.status, body: JSON.parse(res.body || 'null') }
  }
  const login = async (account: Account) => {
    const res = await post('/api/v1/auth/login', account)
    return res.status === 200 ? String(res.body.accessToken) : undefined
  }
  const register = async () => {
    const account = { email: `fuzz.user.${randomBytes(4).toString('hex')}@example.com`, password: PASSWORD }
    const res = await post('/api/v1/users/register', { ...account, phone: uniquePhone(), name: 'Fuzz User' })
    if (res.status !== 201) throw new Error(`registering the fuzz user answered ${res.status}: ${JSON.stringify(res.body)}`)
    user = account
    userId = String(res.body.id)
  }
  const stillValid = async (token: string | undefined) => token !== undefined &&
    (await sendRaw(baseUrl(), { method: 'GET', path: '/api/v1/users/me', headers: { authorization: `Bearer ${token}` } })).status === 200

  return {
    get userId () { return userId },
    async refresh () {
      if (!await stillValid(tokens.user)) {
        tokens.user = user ? await login(user) : undefined
        if (!tokens.user) {
          await register()
          tokens.user = await login(user!)
        }
      }
      if (!await stillValid(tokens.admin)) tokens.admin = await login(FUZZ_ADMIN)
      if (!tokens.user || !tokens.admin) throw new Error('the fuzz user or the administrator cannot log in')
    },
    authorization (auth: Auth): Record<string, string> {
      if (auth === 'none') return {}
      if (typeof auth === 'object') return auth
      return { authorization: `Bearer ${tokens[auth]}` }
    }
  }
}
