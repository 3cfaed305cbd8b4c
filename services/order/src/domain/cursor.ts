const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** The opaque page cursor: base64url of the last order id of the page. */
export function encodeCursor (id: string): string {
  return Buffer.from(id, 'utf8').toString('base64url')
}

/** The id a cursor stands for, or undefined when it is not one `encodeCursor` could have made. */
export function decodeCursor (cursor: string): string | undefined {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(cursor)) return undefined
  const id = Buffer.from(cursor, 'base64url').toString('utf8')
  return UUID.test(id) && encodeCursor(id) === cursor ? id : undefined
}
