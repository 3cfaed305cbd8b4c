// The browser side of passkeys: the API speaks the WebAuthn JSON forms (base64url), navigator.credentials binary.

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

/** navigator.credentials.create with the API's creation options; the credential as the API takes it (its toJSON form). */
export async function createPasskey (options: Json): Promise<Json> {
  const user = options.user as { id: string, name: string, displayName: string }
  const publicKey = {
    ...options,
    challenge: toBytes(options.challenge as string),
    user: { ...user, id: toBytes(user.id) },
    excludeCredentials: descriptors(options.excludeCredentials) ?? []
  } as unknown as PublicKeyCredentialCreationOptions
  const credential = await navigator.credentials.create({ publicKey }) as PublicKeyCredential | null
  if (!credential) throw new DOMException('No passkey was created', 'NotAllowedError')
  const response = credential.response as AuthenticatorAttestationResponse
  return {
    id: credential.id,
    rawId: toBase64url(credential.rawId),
    type: 'public-key',
    ...(credential.authenticatorAttachment ? { authenticatorAttachment: credential.authenticatorAttachment } : {}),
    clientExtensionResults: credential.getClientExtensionResults(),
    response: {
      clientDataJSON: toBase64url(response.clientDataJSON),
      attestationObject: toBase64url(response.attestationObject),
      ...(typeof response.getTransports === 'function' ? { transports: response.getTransports() } : {})
    }
  }
}

/** navigator.credentials.get with the API's request options; the assertion as the API takes it. */
export async function getPasskey (options: Json): Promise<Json> {
  const allow = descriptors(options.allowCredentials)
  const publicKey = {
    ...options,
    challenge: toBytes(options.challenge as string),
    ...(allow ? { allowCredentials: allow } : {})
  } as unknown as PublicKeyCredentialRequestOptions
  const credential = await navigator.credentials.get({ publicKey }) as PublicKeyCredential | null
  if (!credential) throw new DOMException('No passkey was chosen', 'NotAllowedError')
  const response = credential.response as AuthenticatorAssertionResponse
  return {
    id: credential.id,
    rawId: toBase64url(credential.rawId),
    type: 'public-key',
    ...(credential.authenticatorAttachment ? { authenticatorAttachment: credential.authenticatorAttachment } : {}),
    clientExtensionResults: credential.getClientExtensionResults(),
    response: {
      clientDataJSON: toBase64url(response.clientDataJSON),
      authenticatorData: toBase64url(response.authenticatorData),
      signature: toBase64url(response.signature),
      ...(response.userHandle ? { userHandle: toBase64url(response.userHandle) } : {})
    }
  }
}

/** A browser refusal (cancelled, timed out, not allowed) as the problem the page shows. */
export function ceremonyProblem (err: unknown) {
  const name = err instanceof DOMException ? err.name : 'Error'
  return { status: 0, code: name === 'NotAllowedError' ? 'passkey_cancelled' : 'passkey_failed', title: err instanceof Error ? err.message : String(err) }
}
