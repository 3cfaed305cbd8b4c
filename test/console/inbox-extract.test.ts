import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { codesIn, frameDocument, linksIn, preview, segments } from '../../apps/console/src/inbox/extract.ts'

describe('what the dev inbox page pulls out of a message', () => {
  it('finds a 6-digit code, and not digits of a phone number, a longer number or a link', () => {
    assert.deepEqual(codesIn('123456 is your Gatehouse verification code. It expires in 10 min.'), ['123456'])
    assert.deepEqual(codesIn('Your code: 654321.'), ['654321'])
    assert.deepEqual(codesIn('Call +14155550123 or 0123456789; order 2026-12-01'), [])
    assert.deepEqual(codesIn('Open http://127.0.0.1:8080/auth/reset?token=123456abc or https://x.test/111222'), [])
    assert.deepEqual(codesIn('Codes 111111 and 222222, again 111111'), ['111111', '222222'])
  })

  it('finds links without the punctuation that ends their sentence', () => {
    const text = 'Confirm it (http://127.0.0.1:8080/auth/verify-email?token=abc_DEF-1).\nOr https://example.com/a, then http://x.test/b!'
    assert.deepEqual(linksIn(text), ['http://127.0.0.1:8080/auth/verify-email?token=abc_DEF-1', 'https://example.com/a', 'http://x.test/b'])
    assert.deepEqual(linksIn('https://en.wikipedia.org/wiki/Gate_(disambiguation) here'), ['https://en.wikipedia.org/wiki/Gate_(disambiguation)'])
    assert.deepEqual(linksIn('twice https://a.test/x and https://a.test/x'), ['https://a.test/x'])
  })

  it('splits the text into runs and links that put it back together unchanged', () => {
    const text = 'Hi,\nopen https://a.test/x?t=1. Thanks'
    const parts = segments(text)
    assert.deepEqual(parts, [{ kind: 'text', text: 'Hi,\nopen ' }, { kind: 'link', href: 'https://a.test/x?t=1' }, { kind: 'text', text: '. Thanks' }])
    assert.equal(parts.map(p => p.kind === 'text' ? p.text : p.href).join(''), text)
  })

  it('previews the subject, else the first line of the text, shortened', () => {
    assert.equal(preview({ subject: 'Welcome', text: 'x' }), 'Welcome')
    assert.equal(preview({ subject: null, text: '\n  123456 is your code\nmore' }), '123456 is your code')
    assert.equal(preview({ subject: null, text: 'a'.repeat(200) }, 10), 'aaaaaaaaa…')
  })

  it('makes the HTML part a document whose links open outside the frame', () => {
    assert.match(frameDocument('<p>hi</p>'), /^<!doctype html><html><head><meta charset="utf-8"><base target="_blank">.*<body><p>hi<\/p><\/body>/)
    const full = frameDocument('<!doctype html><html lang="en"><head>\n<meta charset="utf-8"></head><body>x</body></html>')
    assert.match(full, /<head><base target="_blank"><meta name="referrer" content="no-referrer">\n<meta charset="utf-8">/)
  })
})
