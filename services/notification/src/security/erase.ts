import type { Queryable } from '@app/kit/db'

export interface Erased { deliveries: number, inbox: number }

/**
 * Removes what this service holds about a deleted user: their deliveries
 * (history, queued and dead ones, with addresses and bodies), deliveries to
 * their addresses that named no user (a code asked for before sign-up), and
 * dev inbox captures sent to their addresses. A delivery to one of the
 * addresses that names another user is that user's and stays.
 */
export async function erasePersonalData (q: Queryable, userId: string, addresses: string[]): Promise<Erased> {
  const lowered = [...new Set(addresses.map(a => a.toLowerCase()))]
  const deliveries = await q.query(`delete from deliveries
    where user_id = $1 or (user_id is null and lower(recipient) = any($2::text[]))`, [userId, lowered])
  const inbox = await q.query('delete from dev_inbox where lower(recipient) = any($1::text[])', [lowered])
  return { deliveries: deliveries.rowCount, inbox: inbox.rowCount }
}
