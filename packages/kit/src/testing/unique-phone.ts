import { randomInt } from 'node:crypto'

/** A valid, random San Francisco number: exchange codes start with 2-9 (NANP), the rest is random. */
export function uniquePhone (): string {
  return `+1415${2 + randomInt(8)}${String(randomInt(1_000_000)).padStart(6, '0')}`
}
