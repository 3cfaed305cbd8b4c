import { createGatehouseClient, webTokenStorage } from '@app/client'

/** Fired when the API refuses the refresh token: the session is over (logged out elsewhere, disabled, expired). */
export const sessionEvents = new EventTarget()

/** The tokens, in localStorage: shared by the tabs of this origin. */
export const tokenStorage = webTokenStorage(globalThis.localStorage)

/** The one client every page calls the API with: on the same origin. */
export const client = createGatehouseClient({
  baseUrl: globalThis.location.origin,
  storage: tokenStorage,
  onSessionEnded: () => { sessionEvents.dispatchEvent(new Event('ended')) }
})
