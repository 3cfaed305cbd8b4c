import { Type } from '@sinclair/typebox'
import { StrictObject } from '@app/kit/http'

const Base64Url = (description: string, maxLength = 1400) => Type.String({ minLength: 1, maxLength, pattern: '^[A-Za-z0-9_-]+={0,2}$', description })
// Browsers add members over time (transports, publicKey, publicKeyAlgorithm, ...): the library checks what matters.
const Open = { additionalProperties: true }

const Descriptor = Type.Object({ id: Type.String(), type: Type.String({ description: 'public-key' }), transports: Type.Optional(Type.Array(Type.String())) })

export const CreationOptionsSchema = Type.Object({
  rp: Type.Object({ name: Type.String(), id: Type.Optional(Type.String()) }),
  user: Type.Object({ id: Type.String({ description: 'base64url user handle (the account id)' }), name: Type.String(), displayName: Type.String() }),
  challenge: Type.String({ description: 'base64url; single use, 5 minutes' }),
  pubKeyCredParams: Type.Array(Type.Object({ alg: Type.Integer(), type: Type.Literal('public-key') })),
  timeout: Type.Optional(Type.Integer()),
  excludeCredentials: Type.Optional(Type.Array(Descriptor, { description: 'the passkeys the account already has' })),
  authenticatorSelection: Type.Optional(Type.Object({}, Open)),
  attestation: Type.Optional(Type.String()),
  extensions: Type.Optional(Type.Object({}, Open)),
  hints: Type.Optional(Type.Array(Type.String()))
}, { ...Open, description: 'PublicKeyCredentialCreationOptionsJSON: pass to navigator.credentials.create (PublicKeyCredential.parseCreationOptionsFromJSON)' })

export const RequestOptionsSchema = Type.Object({
  challenge: Type.String({ description: 'base64url; single use, 5 minutes' }),
  timeout: Type.Optional(Type.Integer()),
  rpId: Type.Optional(Type.String()),
  allowCredentials: Type.Optional(Type.Array(Descriptor)),
  userVerification: Type.Optional(Type.String()),
  extensions: Type.Optional(Type.Object({}, Open)),
  hints: Type.Optional(Type.Array(Type.String()))
}, { ...Open, description: 'PublicKeyCredentialRequestOptionsJSON: pass to navigator.credentials.get (PublicKeyCredential.parseRequestOptionsFromJSON)' })

const CredentialMembers = {
  id: Base64Url('the credential id'),
  rawId: Base64Url('the same, as the browser encodes it'),
  type: Type.Literal('public-key'),
  authenticatorAttachment: Type.Optional(Type.String({ maxLength: 32 })),
  clientExtensionResults: Type.Object({}, Open)
}

export const RegistrationBodySchema = StrictObject({
  ...CredentialMembers,
  response: Type.Object({
    clientDataJSON: Base64Url('base64url', 4096),
    attestationObject: Base64Url('base64url', 16_384)
  }, Open),
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'a name for the passkey (default: Passkey N)' }))
}, { description: 'the PublicKeyCredential from navigator.credentials.create, as its toJSON() gives it, and an optional name' })

export const AssertionSchema = StrictObject({
  ...CredentialMembers,
  response: Type.Object({
    clientDataJSON: Base64Url('base64url', 4096),
    authenticatorData: Base64Url('base64url', 4096),
    signature: Base64Url('base64url', 2048),
    userHandle: Type.Optional(Type.String({ maxLength: 512 }))
  }, Open)
}, { description: 'the PublicKeyCredential from navigator.credentials.get, as its toJSON() gives it' })

export const SecondStepOptionsBodySchema = StrictObject({ challengeId: Type.String({ format: 'uuid', description: 'the challengeId of a login that answered mfaRequired' }) })
export const SecondStepBodySchema = StrictObject({
  challengeId: Type.String({ format: 'uuid' }),
  credential: AssertionSchema
})

export const PasskeySchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  lastUsedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'the last sign-in or second step with it' }),
  deviceType: Type.String({ description: 'multiDevice (synced between devices) or singleDevice' }),
  backedUp: Type.Boolean()
})

export const RenameBodySchema = StrictObject({ name: Type.String({ minLength: 1, maxLength: 100 }) })
export const PasskeyParamsSchema = StrictObject({ id: Type.String({ format: 'uuid' }) })
