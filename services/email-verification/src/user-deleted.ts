import type { Tx } from '@app/kit/db'

/** A deleted user keeps no verification token here (each names the address it verifies). */
export async function forgetDeletedUser (userId: string, tx: Tx): Promise<number> {
  const { rowCount } = await tx.query('delete from verification_tokens where user_id = $1', [userId])
  return rowCount ?? 0
}
