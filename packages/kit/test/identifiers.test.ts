import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { emailLimitKey, hasHiddenCharacters, normalizeEmail } from '../src/identifiers/index.ts'

describe('normalizeEmail', () => {
  it('trims and lower-cases the domain, keeping the local part as typed', () => {
    assert.equal(normalizeEmail('  Ann@Example.COM \n'), 'Ann@example.com')
  })

  it('folds full-width characters to the one address they look like', () => {
    assert.equal(normalizeEmail('ａｎｎ＠ｅｘａｍｐｌｅ．ｃｏｍ'), 'ann@example.com')
    assert.equal(normalizeEmail('ａｎｎ@example.com'), 'ann@example.com')
  })

  it('composes decomposed accents, so both spellings of one address are one', () => {
    const composed = normalizeEmail('jos\u00e9@example.com')
    assert.equal(composed, 'jos\u00e9@example.com')
    assert.equal(normalizeEmail('jose\u0301@example.com'), composed)
  })

  it('refuses zero-width, invisible, bidi and control characters anywhere', () => {
    for (const hidden of ['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad', '\u202e', '\u2066', '\u0000', '\u0007', '\u180e', '\ufe0f', '\u3164']) {
      assert.equal(normalizeEmail(`an${hidden}n@example.com`), undefined, `U+${hidden.codePointAt(0)!.toString(16)} in the local part`)
      assert.equal(normalizeEmail(`ann@exam${hidden}ple.com`), undefined, `U+${hidden.codePointAt(0)!.toString(16)} in the domain`)
    }
  })

  it('converts an internationalised domain to its ASCII (punycode) form', () => {
    assert.equal(normalizeEmail('a@B\u00fccher.de'), 'a@xn--bcher-kva.de')
    assert.equal(normalizeEmail('a@xn--bcher-kva.de'), 'a@xn--bcher-kva.de')
  })

  it('refuses what is not an address', () => {
    for (const bad of ['', 'ann', 'ann@', '@example.com', 'ann@example', 'a b@example.com', 'a@@example.com', 'ann@exa_mple.com', `${'a'.repeat(65)}@example.com`, `a@${'b'.repeat(250)}.com`]) {
      assert.equal(normalizeEmail(bad), undefined, JSON.stringify(bad))
    }
  })

  it('is idempotent', () => {
    for (const raw of ['ａｎｎ@Example.com', 'jose\u0301@B\u00fccher.de', 'Ann@example.com']) {
      const once = normalizeEmail(raw)!
      assert.equal(normalizeEmail(once), once)
    }
  })
})

describe('emailLimitKey', () => {
  it('gives case, width and composition variants of one mailbox the same key', () => {
    const keys = new Set(['Ann@Example.com', 'ann@example.com', 'ＡＮＮ@example.com', ' ANN@EXAMPLE.COM'].map(emailLimitKey))
    assert.deepEqual([...keys], ['ann@example.com'])
  })

  it('is undefined for an address normalizeEmail refuses', () => {
    assert.equal(emailLimitKey('an\u200bn@example.com'), undefined)
  })
})

describe('hasHiddenCharacters', () => {
  it('tells a refused address with a hidden character from one that is merely malformed', () => {
    assert.equal(hasHiddenCharacters('an\u200bn@example.com'), true)
    assert.equal(hasHiddenCharacters('ann@example'), false)
    assert.equal(hasHiddenCharacters('ａｎｎ@example.com'), false)
  })
})
