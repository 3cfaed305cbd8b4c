// The console's one check for every place it sends the browser (resolveTarget), where a flow without a session
// ends (outcomeDestination), and the sign-in nonce that binds a callback's code to the browser that asked for it.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { allowListAdmits, NONCE_KEY, outcomeDestination, resolveTarget, signInNonceIn, takeSignInNonceFrom } from '../../apps/console/src/auth/redirect-target.ts'
import type { KeptValues } from '../../apps/console/src/auth/redirect-target.ts'

const ORIGIN = 'https://id.example.com'
const ALLOW = ['https://allowed.example/app', 'http://app.test/callback']
const resolve = (raw: string | undefined) => resolveTarget(raw, ALLOW, ORIGIN)

/** Whether a browser would leave ORIGIN for `path` (it drops tab, CR and LF and reads `\` as `/`). */
const leaves = (path: string) => new URL(path.replace(/[\t\r\n]/g, '').replace(/\\/g, '/'), ORIGIN).origin !== ORIGIN

describe('resolveTarget', () => {
  it('keeps paths of this origin as the parsed path, query and fragment', () => {
    assert.equal(resolve('/account'), '/account')
    assert.equal(resolve('/account/security?x=1#top'), '/account/security?x=1#top')
    assert.equal(resolve('/a/../account'), '/account')
    assert.equal(resolve(`${ORIGIN}/account?tab=2`), '/account?tab=2')
    assert.equal(resolve('HTTPS://ID.EXAMPLE.COM/account'), '/account')
    assert.equal(resolve('/x%2Faccount'), '/x%2Faccount')
    assert.equal(resolve('/account?next=//evil.com'), '/account?next=//evil.com', 'the query is not a host')
  })

  it('admits another origin only as an absolute URL the allow-list admits, answered as the parsed URL', () => {
    assert.equal(resolve('https://allowed.example/app'), 'https://allowed.example/app')
    assert.equal(resolve('https://allowed.example/app/next?state=s1'), 'https://allowed.example/app/next?state=s1')
    assert.equal(resolve('HTTPS://ALLOWED.EXAMPLE/app'), 'https://allowed.example/app')
    assert.equal(resolve('http://app.test/callback?state=s'), 'http://app.test/callback?state=s')
    assert.equal(resolveTarget('https://allowed.example/app', [], ORIGIN), undefined, 'without the allow-list, no other origin')
  })

  const hostile: Array<[string, string]> = [
    ['/\t/evil.com', 'a tab after the first slash'],
    ['/\n/evil.com', 'a newline'],
    ['/\r/evil.com', 'a carriage return'],
    ['/\r\n/evil.com', 'CR LF'],
    ['\t//evil.com', 'a leading tab'],
    ['/account\u0000', 'NUL'],
    ['/\u007f/evil.com', 'DEL'],
    ['/\u0085/evil.com', 'a C1 control'],
    ['//evil.com', 'scheme-relative'],
    ['///evil.com', 'three slashes'],
    ['////evil.com', 'four slashes'],
    ['/\\evil.com', 'slash backslash'],
    ['\\\\evil.com', 'two backslashes'],
    ['\\/evil.com', 'backslash slash'],
    ['/account\\..\\..\\evil', 'a backslash later in the path'],
    ['/%2F/evil.com', 'an encoded slash'],
    ['/%2f%2fevil.com', 'encoded slashes, lower case'],
    ['/%5Cevil.com', 'an encoded backslash'],
    ['/%09/evil.com', 'an encoded tab'],
    ['/%0a/evil.com', 'an encoded newline'],
    ['/%E0%A4%A', 'a broken percent-encoding'],
    [`${ORIGIN}//evil.com`, 'a same-origin URL whose path is //host'],
    [`${ORIGIN}/%2F%2Fevil.com`, 'a same-origin URL whose path is an encoded //host'],
    [`${ORIGIN}/\\evil.com`, 'a same-origin URL whose path is /\\host'],
    [`${ORIGIN}@evil.com/`, 'this origin as the user part'],
    ['https://allowed.example@evil.com/app', 'the allowed host as the user part'],
    ['https://user:pw@allowed.example/app', 'user and password on an allowed host'],
    ['https://allowed.example/app#frag', 'a fragment on another origin'],
    ['https://allowed.example/apple', 'outside the allowed path'],
    ['https://allowed.example/app/../admin', 'dot segments out of the allowed path'],
    ['https://allowed.example/app/%2E%2E/admin', 'encoded dot segments out of the allowed path'],
    ['https://allowed.example.evil.com/app', 'the allowed host as a prefix'],
    ['https://evil.com/app', 'not on the list'],
    ['http://allowed.example/app', 'another scheme than the entry'],
    ['https://allowed.example:8443/app', 'another port than the entry'],
    ['https://allowed.example\\@evil.com/app', 'a backslash in the authority'],
    ['javascript:alert(1)', 'javascript:'],
    ['JAVASCRIPT:alert(1)', 'JAVASCRIPT:'],
    ['JaVaScRiPt:alert(1)', 'mixed-case javascript:'],
    [' javascript:alert(1)', 'javascript: after a space'],
    ['java\tscript:alert(1)', 'javascript: with a tab'],
    ['javascript://allowed.example/app%0aalert(1)', 'javascript: shaped like an allowed URL'],
    ['data:text/html,<script>alert(1)</script>', 'data:'],
    ['DATA:text/html,x', 'DATA:'],
    ['vbscript:msgbox(1)', 'vbscript:'],
    ['file:///etc/passwd', 'file:'],
    ['ftp://allowed.example/app', 'ftp:'],
    ['blob:https://id.example.com/x', 'blob:'],
    ['evil.com', 'a bare host'],
    ['account', 'a relative path'],
    ['https:evil.com', 'a scheme without slashes'],
    ['https:/evil.com', 'a scheme with one slash'],
    ['//allowed.example/app', 'a scheme-relative allowed host'],
    ['http://[::1', 'unparsable'],
    ['', 'empty']
  ]
  for (const [raw, why] of hostile) {
    it(`refuses ${why}: ${JSON.stringify(raw)}`, () => {
      assert.equal(resolve(raw), undefined)
    })
  }

  it('refuses undefined', () => assert.equal(resolve(undefined), undefined))

  it('checks a ?redirectTo= as URLSearchParams decodes it, never answering another host', () => {
    for (const query of ['redirectTo=%2F%09%2Fevil.com', 'redirectTo=%2F%2Fevil.com', 'redirectTo=%2F%5Cevil.com', 'redirectTo=%5C%5Cevil.com',
      'redirectTo=%2F%0D%0A%2Fevil.com', 'redirectTo=%2F%252F%2Fevil.com', 'redirectTo=%2F%255C%2Fevil.com', 'redirectTo=%2F%2509%2Fevil.com', 'redirectTo=javascript%3Aalert(1)']) {
      const raw = new URLSearchParams(query).get('redirectTo')!
      const out = resolve(raw)
      assert.ok(out === undefined || (out.startsWith('/') && !leaves(out)), `${query} → ${String(out)}`)
    }
    assert.equal(resolve(new URLSearchParams('redirectTo=%2F%09%2Fevil.com').get('redirectTo')!), undefined)
  })

  it('never answers a path a browser would read as another host, whatever character stands near the slashes', () => {
    for (let c = 0; c < 0x100; c++) {
      const ch = String.fromCharCode(c)
      for (const raw of [`/${ch}/evil.com`, `${ch}//evil.com`, `/${ch}\\evil.com`, `//${ch}evil.com`, `${ORIGIN}/${ch}/evil.com`, `/%${c.toString(16).padStart(2, '0')}/evil.com`]) {
        const out = resolve(raw)
        if (out === undefined) continue
        assert.ok(out.startsWith('/') && !/^\/[/\\]/.test(out) && !leaves(out), `${JSON.stringify(raw)} → ${out}`)
      }
    }
  })
})

describe('allowListAdmits', () => {
  it('follows the auth service: origin and path, no user part, fragment or backslash', () => {
    assert.equal(allowListAdmits(ALLOW, 'https://allowed.example/app/x?y'), true)
    assert.equal(allowListAdmits(ALLOW, 'https://allowed.example@evil.com/app'), false)
    assert.equal(allowListAdmits(ALLOW, 'https://allowed.example/app#x'), false)
    assert.equal(allowListAdmits(ALLOW, 'https://allowed.example/app\\x'), false)
    assert.equal(allowListAdmits(ALLOW, 'not a url'), false)
  })
})

describe('outcomeDestination', () => {
  const at = (target: string | undefined, allowlist?: string[]) => outcomeDestination(target, 'password_reset', '/auth/login?reset=1', ORIGIN, allowlist)

  it('ends a hostile target at the fallback on this origin, never assigning another origin', () => {
    for (const raw of ['/\t/evil.com', '/\n/evil.com', '//evil.com', '///evil.com', '/\\evil.com', `${ORIGIN}//evil.com`, '/%2F/evil.com', 'javascript:alert(1)', 'data:text/html,x', 'https://allowed.example@evil.com/app']) {
      const first = at(raw)
      // Without the allow-list only an absolute URL of another origin waits for it; it is refused once read.
      if (first !== 'needs-allowlist') assert.deepEqual(first, { navigate: '/auth/login?reset=1' }, raw)
      else assert.match(raw, /^https:\/\/(?!id\.example\.com\/)/)
      assert.deepEqual(at(raw, ALLOW), { navigate: '/auth/login?reset=1' }, raw)
    }
  })

  it('adds the outcome to a path of this origin, and to an allowed app once the allow-list is read', () => {
    assert.deepEqual(at('/account?x=1'), { navigate: '/account?x=1&outcome=password_reset' })
    assert.deepEqual(at(undefined), { navigate: '/auth/login?reset=1' })
    assert.equal(at('https://allowed.example/app?state=s'), 'needs-allowlist')
    assert.deepEqual(at('https://allowed.example/app?state=s', ALLOW), { assign: 'https://allowed.example/app?state=s&outcome=password_reset' })
    assert.deepEqual(at('https://evil.com/app', ALLOW), { navigate: '/auth/login?reset=1' })
  })
})

describe('sign-in nonce', () => {
  const store = (): KeptValues & { items: Map<string, string> } => {
    const items = new Map<string, string>()
    return { items, getItem: k => items.get(k) ?? null, setItem: (k, v) => { items.set(k, v) }, removeItem: (k) => { items.delete(k) } }
  }
  let n = 0
  const random = (bytes: Uint8Array) => { bytes.fill(0xa0 + ++n); return bytes }

  it('keeps one random nonce while it is in use and accepts only it, once', () => {
    const kept = store()
    const nonce = signInNonceIn(kept, random, 1000)
    assert.match(nonce, /^[0-9a-f]{32}$/)
    assert.equal(signInNonceIn(kept, random, 2000), nonce, 'the same while it lives')
    assert.equal(takeSignInNonceFrom(kept, null, 2000), false)
    assert.equal(takeSignInNonceFrom(kept, '', 2000), false)
    assert.equal(takeSignInNonceFrom(kept, '0'.repeat(32), 2000), false)
    assert.equal(takeSignInNonceFrom(kept, nonce.toUpperCase(), 2000), false)
    assert.equal(takeSignInNonceFrom(kept, nonce, 2000), true)
    assert.equal(takeSignInNonceFrom(kept, nonce, 2000), false, 'used up')
    assert.notEqual(signInNonceIn(kept, random, 3000), nonce, 'a new one after use')
  })

  it('refuses every nonce when this browser kept none, an expired one, or an unreadable one', () => {
    const kept = store()
    assert.equal(takeSignInNonceFrom(kept, 'a'.repeat(32)), false)
    const nonce = signInNonceIn(kept, random, 0)
    assert.equal(takeSignInNonceFrom(kept, nonce, 2 * 60 * 60_000), false, 'expired')
    kept.items.set(NONCE_KEY, '{not json')
    assert.equal(takeSignInNonceFrom(kept, '{not json'), false)
    kept.items.set(NONCE_KEY, JSON.stringify({ value: 'short', until: Date.now() + 1000 }))
    assert.equal(takeSignInNonceFrom(kept, 'short'), false)
  })
})
