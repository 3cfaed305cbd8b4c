import { useEffect, useState } from 'react'
import { client } from '../api.ts'
import { call } from '../problem.ts'

// Asked once per page load: whether the platform has a dev inbox does not change while it runs.
let devInbox: Promise<boolean> | undefined
let devInboxKnown: boolean | undefined

/** Whether this platform runs a dev inbox (GET /dev/inbox answers 200 in development, 404 otherwise). */
export function useDevInbox (): boolean {
  const [present, setPresent] = useState(devInboxKnown ?? false)
  useEffect(() => {
    let live = true
    devInbox ??= call(client.GET('/dev/inbox', { params: { query: { limit: 1 } } })).then(outcome => {
      devInboxKnown = outcome.ok
      return outcome.ok
    })
    devInbox.then(ok => { if (live) setPresent(ok) }, () => {})
    return () => { live = false }
  }, [])
  return present
}
