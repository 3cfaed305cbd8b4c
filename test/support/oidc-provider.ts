import { generateKeyPairSync } from 'node:crypto'
import { createServer } from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import Provider from 'oidc-provider'

/** An end-user of the test provider, with the claims it asserts. */
export interface TestAccount {
  sub: string
  email?: string
  email_verified?: boolean
  name?: string
}

export interface TestClient {
  clientId: string
  clientSecret: string
  redirectUris: string[]
}

export interface TestOidcProvider {
  issuer: string
  clients: TestClient[]
  addAccount (account: TestAccount): void
  /** The account the next login at the provider signs in as. */
  loginAs (sub: string): void
  /** The next login at the provider is cancelled by the user (`error=access_denied`). */
  denyNext (): void
  /** Publish another key under the signing key's `kid`: ID tokens no longer verify with what the provider publishes. */
  forgeKeys (forged: boolean): void
  /** The query of the last authorization request the provider received. */
  lastAuthorization (): URLSearchParams | undefined
  /** Stops listening and drops open connections: the provider is down. */
  stop (): Promise<void>
}

const rsaJwk = (kid: string) => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  return {
    private: { ...privateKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' },
    public: { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' }
  }
}

/**
 * A real OpenID provider (the `oidc-provider` package, as certified by the
 * OpenID Foundation) on a free loopback port. Its login and consent prompts
 * are completed by this helper's interaction endpoint (no form to fill): the
 * account is whatever `loginAs` named. Code flow only, PKCE required.
 * `port`: a fixed one, to bring a provider up where one was expected.
 */
export async function startTestOidcProvider (clients: TestClient[], options: { port?: number } = {}): Promise<TestOidcProvider> {
  const accounts = new Map<string, TestAccount>()
  const signing = rsaJwk('test-signing-key')
  const impostor = rsaJwk('test-signing-key')
  const state = { nextLogin: undefined as string | undefined, deny: false, forged: false, lastAuthorization: undefined as URLSearchParams | undefined }
  // Created once the port (and so the issuer) is known; the server's handler reads it then.
  const ref: { provider?: Provider } = {}

  async function interaction (req: IncomingMessage, res: ServerResponse): Promise<void> {
    const details = await ref.provider!.interactionDetails(req, res)
    if (state.deny) {
      state.deny = false
      await ref.provider!.interactionFinished(req, res, { error: 'access_denied', error_description: 'The user cancelled the sign-in' }, { mergeWithLastSubmission: false })
      return
    }
    if (details.prompt.name === 'login') {
      if (!state.nextLogin) throw new Error('test provider: call loginAs(sub) before signing in')
      await ref.provider!.interactionFinished(req, res, { login: { accountId: state.nextLogin } }, { mergeWithLastSubmission: false })
      return
    }
    const grant = new ref.provider!.Grant({ accountId: details.session!.accountId!, clientId: String(details.params.client_id) })
    grant.addOIDCScope(String(details.params.scope))
    await ref.provider!.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true })
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://provider')
    if (url.pathname === '/auth') state.lastAuthorization = url.searchParams
    if (url.pathname.startsWith('/interaction/')) {
      interaction(req, res).catch((err: Error) => { res.statusCode = 500; res.end(err.message) })
      return
    }
    if (url.pathname === '/jwks' && state.forged) {
      res.setHeader('content-type', 'application/jwk-set+json')
      res.end(JSON.stringify({ keys: [impostor.public] }))
      return
    }
    ref.provider!.callback()(req, res)
  })
  await new Promise<void>(resolve => server.listen(options.port ?? 0, '127.0.0.1', resolve))
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  ref.provider = new Provider(issuer, {
    clients: clients.map(c => ({
      client_id: c.clientId,
      client_secret: c.clientSecret,
      redirect_uris: c.redirectUris,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_post'
    })),
    jwks: { keys: [signing.private] },
    pkce: { required: () => true },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx: unknown, i: { uid: string }) => `/interaction/${i.uid}` },
    cookies: { keys: ['test-provider-cookie-key-0123456789'] },
    ttl: { Session: 3600, Grant: 3600, Interaction: 600, AuthorizationCode: 60, AccessToken: 600, IdToken: 600 },
    async findAccount (_ctx: unknown, sub: string) {
      const account = accounts.get(sub)
      return account && { accountId: sub, claims: async () => ({ ...account }) }
    }
  })

  return {
    issuer,
    clients,
    addAccount: account => { accounts.set(account.sub, account) },
    loginAs: (sub) => { state.nextLogin = sub },
    denyNext: () => { state.deny = true },
    forgeKeys: (forged) => { state.forged = forged },
    lastAuthorization: () => state.lastAuthorization,
    async stop () {
      if (!server.listening) return
      server.closeAllConnections()
      await new Promise<void>(resolve => server.close(() => resolve()))
    }
  }
}
