import { createServer } from 'node:http'
import type { IncomingHttpHeaders, Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before } from 'node:test'
import { SignJWT, exportJWK, generateKeyPair } from 'jose'
import type { CryptoKey, JWK, JWTPayload } from 'jose'
import { openTestBackends, startTestService, uniqueName } from '@app/kit/testing'
import type { TestBackends } from '@app/kit/testing'
import type { Env } from '@app/kit/config'
import { SERVICE_PORTS, serviceUrlVariable } from '@app/kit/service'
import type { ServiceName } from '@app/kit/service'
import { gatewayService } from '../src/service.ts'

export const ISSUER = 'gatehouse'
export const AUDIENCE = 'gatehouse-api'
export const KID = 'key-1'

export interface Seen {
  method: string
  url: string
  headers: IncomingHttpHeaders
  body: string
}

/** What a fake instance does besides echoing; changed by the test while it runs. */
export interface FakeBehaviour {
  /** The status of GET /readyz (the gateway's probe). */
  readyz: number
  /** Answer every other request 503 `x-instance-closing: 1`, as an instance that stopped accepting. */
  closing: boolean
  /** Serve as usual but mark every answer `x-instance-draining: 1`, as an instance that is leaving. */
  draining: boolean
}

/**
 * One server standing in for every service: it publishes the JWKS and echoes
 * what it received. `?status=503` answers that status; `?delay=500` answers
 * that many milliseconds late; `?reset=1` drops the connection instead of
 * answering. `port` restarts an instance where it was.
 */
export async function startFakeServices (jwks: () => { keys: JWK[] }, port = 0) {
  const seen: Seen[] = []
  let jwksFetches = 0
  const revoked = new Map<string, string>()
  const probes: number[] = []
  const behaviour: FakeBehaviour = { readyz: 200, closing: false, draining: false }
  const server: Server = createServer((req, res) => {
    if (req.url === '/readyz') {
      probes.push(behaviour.readyz)
      res.writeHead(behaviour.readyz, { 'content-type': 'application/json' }).end('{}')
      return
    }
    if (behaviour.draining) res.setHeader('x-instance-draining', '1')
    if (behaviour.closing) {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: '' })
      res.writeHead(503, { 'content-type': 'application/problem+json', 'x-instance-closing': '1', 'retry-after': '0', connection: 'close' })
      res.end('{"code":"unavailable"}')
      return
    }
    if (req.url?.startsWith('/internal/auth/revocations')) {
      // As the auth service answers the gateway's revocation poll.
      res.setHeader('content-type', 'application/json')
      res.end(JSON.stringify({ until: new Date().toISOString(), windowSeconds: 960, more: false, sessions: [...revoked].map(([id, revokedAt]) => ({ id, revokedAt })) }))
      return
    }
    if (req.url === '/.well-known/jwks.json') {
      jwksFetches++
      res.setHeader('content-type', 'application/json')
      res.end(JSON.stringify(jwks()))
      return
    }
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const entry = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() }
      seen.push(entry)
      const query = new URL(entry.url, 'http://fake').searchParams
      if (query.get('reset') === '1') return req.socket.destroy()
      setTimeout(() => {
        res.statusCode = Number(query.get('status') ?? 200)
        res.setHeader('content-type', 'application/json')
        res.end(JSON.stringify(entry))
      }, Number(query.get('delay') ?? 0))
    })
  })
  await new Promise<void>(resolve => server.listen(port, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url,
    seen,
    /** The status each readiness probe was answered with. */
    probes,
    behaviour,
    get jwksFetches () { return jwksFetches },
    /** Ends a session, as a logout in the auth service would. */
    revoke (sessionId: string) { revoked.set(sessionId, new Date().toISOString()) },
    close: () => new Promise<void>(resolve => { server.closeAllConnections(); server.close(() => resolve()) })
  }
}

export async function newSigningKey (kid = KID) {
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { extractable: true })
  const jwk = { ...await exportJWK(publicKey), kid, alg: 'EdDSA', use: 'sig' }
  return { publicKey, privateKey, jwk, kid }
}

export interface SignOptions {
  claims?: JWTPayload & { sid?: string, roles?: string[] }
  header?: Record<string, unknown>
  expiresIn?: string | number
}

export async function signToken (key: { privateKey: CryptoKey, kid: string }, options: SignOptions = {}) {
  const jwt = new SignJWT({ sid: 'session-1', roles: ['user'], ...options.claims })
    .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid: key.kid, ...options.header })
    .setJti(uniqueName('jti'))
  if (options.claims?.iat === undefined) jwt.setIssuedAt()
  if (!options.claims?.sub) jwt.setSubject('user-1')
  if (!options.claims?.iss) jwt.setIssuer(ISSUER)
  if (!options.claims?.aud) jwt.setAudience(AUDIENCE)
  if (!options.claims?.exp) jwt.setExpirationTime(options.expiresIn ?? '15m')
  return jwt.sign(key.privateKey)
}

export const b64url = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url')

/** A gateway in front of fake services; every upstream URL points at them. */
export function useGateway (env: Env = {}) {
  const state = {} as {
    backends: TestBackends
    key: Awaited<ReturnType<typeof newSigningKey>>
    fake: Awaited<ReturnType<typeof startFakeServices>>
    gateway: Awaited<ReturnType<typeof startTestService<typeof gatewayService.configSchema>>>
  }
  before(async () => {
    state.backends = await openTestBackends()
    state.key = await newSigningKey()
    state.fake = await startFakeServices(() => ({ keys: [state.key.jwk] }))
    const urls = Object.fromEntries((Object.keys(SERVICE_PORTS) as ServiceName[])
      .filter(s => s !== 'gateway').map(s => [serviceUrlVariable(s), state.fake.url]))
    state.gateway = await startTestService(gatewayService, {
      ...urls,
      CACHE_PREFIX: `${uniqueName('gw')}:`,
      GATEWAY_DOCS_ENABLED: 'false',
      ...env
    }, state.backends)
  })
  after(async () => {
    await state.gateway.cleanup()
    await state.fake.close()
    await state.backends.cleanup()
  })
  return {
    get key () { return state.key },
    get fake () { return state.fake },
    get gateway () { return state.gateway },
    async call (path: string, headers: Record<string, string> = {}, method = 'GET') {
      const res = await fetch(`${state.gateway.url}${path}`, { method, headers })
      const text = await res.text()
      return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined }
    }
  }
}
