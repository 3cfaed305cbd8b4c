/** The opaque page cursor: base64url of the last `seq` of the page. */
export function encodeCursor (seq: number): string {
  return Buffer.from(`s${seq}`, 'utf8').toString('base64url')
}

/** The seq a cursor stands for, or undefined when it is not one `encodeCursor` could have made. */
export function decodeCursor (cursor: string): number | undefined {
  if (!/^[A-Za-z0-9_-]{1,40}$/.test(cursor)) return undefined
  const match = /^s([1-9][0-9]{0,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'))
  if (!match) return undefined
  const seq = Number(match[1])
  return Number.isSafeInteger(seq) && encodeCursor(seq) === cursor ? seq : undefined
}
