import { perTransaction } from '@app/kit/bus'
import type { Tx } from '@app/kit/db'
import type { OtpResult } from '@app/contracts/verification'

/**
 * The otp service's answers to our code requests, kept for support. The
 * answers of a consumer's batch (one transaction) share one insert; a
 * request answered twice keeps its first answer.
 */
export function createOtpResults () {
  const record = perTransaction(async (results: OtpResult[], tx: Tx): Promise<void[]> => {
    const unique = results.filter((r, i) => results.findIndex(o => o.requestId === r.requestId) === i)
    await tx.query(`insert into otp_request_results (request_id, destination, purpose, status)
      select * from unnest($1::uuid[], $2::text[], $3::text[], $4::text[])
      on conflict (request_id) do nothing`,
    [unique.map(r => r.requestId), unique.map(r => r.destination), unique.map(r => r.purpose), unique.map(r => r.status)])
    return results.map(() => undefined)
  })
  return { record: (result: OtpResult, tx: Tx): Promise<void> => record(tx, result) }
}
