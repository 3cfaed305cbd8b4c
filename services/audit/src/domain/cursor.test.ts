import { it } from 'node:test'
import assert from 'node:assert/strict'
import { decodeCursor, encodeCursor } from './cursor.ts'

it('round-trips a seq and refuses anything encodeCursor could not have made', () => {
  for (const seq of [1, 42, Number.MAX_SAFE_INTEGER]) assert.equal(decodeCursor(encodeCursor(seq)), seq)
  for (const cursor of ['', 'abc', 'not a cursor', Buffer.from('s0').toString('base64url'), Buffer.from('s01').toString('base64url'), Buffer.from('s-1').toString('base64url'), `${encodeCursor(5)}=`]) {
    assert.equal(decodeCursor(cursor), undefined, cursor)
  }
})
