// The browser side of passkeys: the API speaks the WebAuthn JSON forms (base64url), navigator.credentials binary.
// Browsers since 2025 convert both ways themselves (PublicKeyCredential.parse*OptionsFromJSON, credential.toJSON());
// older ones (Safari before 18.4, Chrome before 129, Firefox before 119) get the same conversion by hand here.

type Json = Record<string, unknown>

const toBytes = (base64url: string): ArrayBuffer => {
  const base64 = base64url.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(base64url.length / 4) * 4, '=')
  const binary = atob(base64)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes.buffer
}

const toBase64url = (buffer: ArrayBuffer | ArrayBufferView): string => {
  const bytes = buffer instanceof ArrayBuffer ? new Uint8Array(buffer) : new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

const descriptors = (list: unknown) => Array.isArray(list)
  ? list.map((d: { id: string, type: string, transports?: string[] }) => ({ ...d, id: toBytes(d.id) }) as PublicKeyCredentialDescriptor)
  : undefined

// Browsers refuse WebAuthn on an IP address (http://127.0.0.1:8080): passkeys work on a name, such as localhost.
const onIpAddress = () => /^(\d{1,3}(\.\d{1,3}){3}|\[[0-9a-f:.]+\])$/i.test(globalThis.location.hostname)

/** Whether passkeys can work here: a browser that has them, on a page reached by name (not an IP address). */
export const passkeysSupported = () => typeof globalThis.PublicKeyCredential === 'function' && typeof navigator.credentials?.get === 'function' && !onIpAddress()

function creationOptions (options: Json): PublicKeyCredentialCreationOptions {
  if (typeof PublicKeyCredential.parseCreationOptionsFromJSON === 'function') {
    return PublicKeyCredential.parseCreationOptionsFromJSON(options as unknown as PublicKeyCredentialCreationOptionsJSON)
  }
  const user = options.user as { id: string, name: string, displayName: string }
  return {
    ...options,
    challenge: toBytes(options.challenge as string),
    user: { ...user, id: toBytes(user.id) },
    excludeCredentials: descriptors(options.excludeCredentials) ?? []
  } as unknown as PublicKeyCredentialCreationOptions
}

function requestOptions (options: Json): PublicKeyCredentialRequestOptions {
  if (typeof PublicKeyCredential.parseRequestOptionsFromJSON === 'function') {
    return PublicKeyCredential.parseRequestOptionsFromJSON(options as unknown as PublicKeyCredentialRequestOptionsJSON)
  }
  const allow = descriptors(options.allowCredentials)
  return {
    ...options,
    challenge: toBytes(options.challenge as string),
    ...(allow ? { allowCredentials: allow } : {})
  } as unknown as PublicKeyCredentialRequestOptions
}

const attestationJson = (response: AuthenticatorAttestationResponse): Json => ({
  clientDataJSON: toBase64url(response.clientDataJSON),
  attestationObject: toBase64url(response.attestationObject),
  ...(typeof response.getTransports === 'function' ? { transports: response.getTransports() } : {})
})

const assertionJson = (response: AuthenticatorAssertionResponse): Json => ({
  clientDataJSON: toBase64url(response.clientDataJSON),
  authenticatorData: toBase64url(response.authenticatorData),
  signature: toBase64url(response.signature),
  ...(response.userHandle ? { userHandle: toBase64url(response.userHandle) } : {})
})

/** A credential as the API takes it: its toJSON() form, made by hand (the envelope and `responseJson`) where toJSON is missing. */
function credentialJson<R extends AuthenticatorResponse> (credential: PublicKeyCredential, responseJson: (response: R) => Json): Json {
  if (typeof credential.toJSON === 'function') return credential.toJSON() as Json
  return {
    id: credential.id,
    rawId: toBase64url(credential.rawId),
    type: 'public-key',
    ...(credential.authenticatorAttachment ? { authenticatorAttachment: credential.authenticatorAttachment } : {}),
    clientExtensionResults: credential.getClientExtensionResults(),
    response: responseJson(credential.response as R)
  }
}

/** navigator.credentials.create with the API's creation options; the credential as the API takes it (its toJSON form). */
export async function createPasskey (options: Json): Promise<Json> {
  const credential = await navigator.credentials.create({ publicKey: creationOptions(options) }) as PublicKeyCredential | null
  if (!credential) throw new DOMException('No passkey was created', 'NotAllowedError')
  return credentialJson(credential, attestationJson)
}

/** navigator.credentials.get with the API's request options; the assertion as the API takes it. */
export async function getPasskey (options: Json): Promise<Json> {
  const credential = await navigator.credentials.get({ publicKey: requestOptions(options) }) as PublicKeyCredential | null
  if (!credential) throw new DOMException('No passkey was chosen', 'NotAllowedError')
  return credentialJson(credential, assertionJson)
}

/** A browser refusal (cancelled, timed out, not allowed) as the problem the page shows. */
export function ceremonyProblem (err: unknown) {
  const name = err instanceof DOMException ? err.name : 'Error'
  return { status: 0, code: name === 'NotAllowedError' ? 'passkey_cancelled' : 'passkey_failed', title: err instanceof Error ? err.message : String(err) }
}
