import { randomBytes } from 'node:crypto'
import { internalHeadersFor } from '@app/kit/testing'
import type { GatewayClient } from './gateway-client.ts'

export const PASSWORD = 'correct horse battery'

export interface Account {
  id: string
  email: string
  password: string
}

export const uniqueEmail = (kind: string) => `${kind}.${randomBytes(6).toString('hex')}@example.com`

/** Registers an account through the gateway; throws unless it answers 201. */
export async function register (client: GatewayClient, kind: string): Promise<Account> {
  const email = uniqueEmail(kind)
  const res = await client.call('POST', '/api/v1/users/register', { body: { email, password: PASSWORD } })
  if (res.status !== 201) throw new Error(`register ${email}: ${res.status} ${JSON.stringify(res.body)}`)
  return { id: String(res.body!.id), email, password: PASSWORD }
}

/** Marks the email verified on a user instance directly, as the email-verification service does: order confirmations go to verified addresses only. */
export async function markEmailVerified (userUrl: string, account: Account): Promise<void> {
  const res = await fetch(`${userUrl}/internal/users/${account.id}/email-verified`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...internalHeadersFor('user') },
    body: JSON.stringify({ email: account.email })
  })
  if (res.status !== 200) throw new Error(`verify ${account.email}: ${res.status} ${await res.text()}`)
}

export interface Session {
  accessToken: string
  refreshToken: string
}

export async function login (client: GatewayClient, account: Account): Promise<Session> {
  const res = await client.call('POST', '/api/v1/auth/login', { body: { email: account.email, password: account.password } })
  if (res.status !== 200) throw new Error(`login ${account.email}: ${res.status} ${JSON.stringify(res.body)}`)
  return { accessToken: String(res.body!.accessToken), refreshToken: String(res.body!.refreshToken) }
}

/** A buyer: a verified account with a session that is never logged out, for orders. */
export async function createBuyer (client: GatewayClient, userUrl: string): Promise<Account & { session: Session }> {
  const account = await register(client, 'buyer')
  await markEmailVerified(userUrl, account)
  return { ...account, session: await login(client, account) }
}
