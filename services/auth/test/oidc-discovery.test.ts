import { after, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { freePort, waitFor } from '@app/kit/testing'
import { hasErrorCode } from '@app/kit/errors'
import { startTestOidcProvider } from '../../../test/support/oidc-provider.ts'
import type { TestOidcProvider } from '../../../test/support/oidc-provider.ts'
import { createProviderDirectory } from '../src/oidc/provider-directory.ts'
import { parseOidcProviders } from '../src/oidc/providers-config.ts'

const quiet = { warn () {}, info () {} }

/** A logger that keeps the messages. */
function collecting () {
  const messages: string[] = []
  return { messages, warn (_: object, msg: string) { messages.push(msg) }, info (_: object, msg: string) { messages.push(msg) } }
}

describe('identity provider discovery', () => {
  let idp: TestOidcProvider | undefined
  after(async () => { await idp?.stop() })

  it('answers 503 while a provider is down, keeps retrying in the background, and serves it once it is up', async () => {
    const port = await freePort()
    const providers = parseOidcProviders(JSON.stringify([{ id: 'late', issuer: `http://127.0.0.1:${port}`, clientId: 'gatehouse', clientSecret: 'late-secret' }]), {})
    const log = collecting()
    const directory = createProviderDirectory({ providers, timeoutSeconds: 2, log, firstRetryMs: 20, maxRetryMs: 100 })
    try {
      directory.warm()
      const provider = directory.provider('late')
      await assert.rejects(directory.configuration(provider), (err: unknown) => hasErrorCode(err, 'oidc_provider_unavailable'))
      await waitFor(() => log.messages.includes('identity provider discovery failed'))

      idp = await startTestOidcProvider([{ clientId: 'gatehouse', clientSecret: 'late-secret', redirectUris: ['http://gatehouse.test/api/v1/auth/oidc/late/callback'] }], { port })
      await waitFor(() => log.messages.includes('identity provider discovered'))
      // Found by the background retry and cached: served even with the provider down again.
      await idp.stop()
      assert.equal((await directory.configuration(provider)).serverMetadata().issuer, idp.issuer)
    } finally {
      directory.close()
    }
  })

  it('answers 404 oidc_provider_unknown for an id no provider has', () => {
    const directory = createProviderDirectory({ providers: [], timeoutSeconds: 1, log: quiet })
    assert.throws(() => directory.provider('nope'), (err: unknown) => hasErrorCode(err, 'oidc_provider_unknown'))
  })
})
