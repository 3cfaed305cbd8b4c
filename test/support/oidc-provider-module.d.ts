// oidc-provider ships no types; this covers the little the test provider uses.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http'

  interface InteractionDetails {
    uid: string
    prompt: { name: string }
    params: Record<string, unknown>
    session?: { accountId?: string }
  }

  interface GrantInstance {
    addOIDCScope (scope: string): void
    save (): Promise<string>
  }

  class Provider {
    constructor (issuer: string, configuration: Record<string, unknown>)
    proxy: boolean
    Grant: new (properties: { accountId: string, clientId: string }) => GrantInstance
    callback (): (req: IncomingMessage, res: ServerResponse) => void
    interactionDetails (req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>
    interactionFinished (req: IncomingMessage, res: ServerResponse, result: Record<string, unknown>, options?: { mergeWithLastSubmission?: boolean }): Promise<void>
  }

  export default Provider
}
