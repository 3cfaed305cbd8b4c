import { AppLayout } from '../ui/layout.tsx'

// Placeholder until the dev inbox page lands.
export function InboxPage () {
  return <AppLayout title='Dev inbox'><p>…</p></AppLayout>
}
