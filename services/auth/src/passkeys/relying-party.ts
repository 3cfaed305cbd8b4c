/** Who passkeys belong to (the WebAuthn relying party) and which pages may run their ceremonies. */
export interface RelyingParty {
  id: string
  name: string
  /** False in production without AUTH_WEBAUTHN_ORIGINS: passkeys are off. */
  enabled: boolean
  /** Whether a ceremony from this page origin (from the browser's clientDataJSON) is accepted. */
  allows: (origin: string) => boolean
}

export interface RelyingPartyConfig {
  AUTH_WEBAUTHN_RP_ID: string
  AUTH_WEBAUTHN_RP_NAME: string
  AUTH_WEBAUTHN_ORIGINS: string
  NODE_ENV: string
}

const isLocalhost = (origin: string) => /^https?:\/\/localhost(:\d{1,5})?$/.test(origin)
const withinRpId = (hostname: string, rpId: string) => hostname === rpId || hostname.endsWith(`.${rpId}`)

/**
 * The relying party from configuration. Each configured origin must be the
 * RP id's host or a subdomain of it (a browser refuses anything else), so a
 * wrong setting fails at startup rather than at every sign-in.
 */
export function relyingPartyFrom (config: RelyingPartyConfig): RelyingParty {
  const rpId = config.AUTH_WEBAUTHN_RP_ID
  const origins = config.AUTH_WEBAUTHN_ORIGINS.split(',').map(o => o.trim()).filter(o => o.length > 0).map((configured) => {
    let url: URL
    try {
      url = new URL(configured)
    } catch {
      throw new Error(`AUTH_WEBAUTHN_ORIGINS: "${configured}" is not a URL`)
    }
    if (url.origin !== configured.replace(/\/$/, '')) throw new Error(`AUTH_WEBAUTHN_ORIGINS: "${configured}" must be an origin (scheme, host and port only), e.g. ${url.origin}`)
    if (!withinRpId(url.hostname, rpId)) throw new Error(`AUTH_WEBAUTHN_ORIGINS: ${url.origin} is not on AUTH_WEBAUTHN_RP_ID ${rpId} or a subdomain of it`)
    return url.origin
  })
  // Unset: any localhost page in development and tests (the gateway's port is picked at runtime); nothing in production.
  const enabled = origins.length > 0 || config.NODE_ENV !== 'production'
  const allowed = new Set(origins)
  return {
    id: rpId,
    name: config.AUTH_WEBAUTHN_RP_NAME,
    enabled,
    allows: origin => (origins.length > 0 ? allowed.has(origin) : enabled && rpId === 'localhost' && isLocalhost(origin))
  }
}
