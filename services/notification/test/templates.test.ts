import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { cp, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadTemplates } from '../src/templates/catalogue.ts'
import { TEMPLATE_DEFINITIONS } from '../src/templates/definitions.ts'
import { formatMoney } from '../src/templates/money.ts'
import { plainIp, summariseUserAgent } from '../src/security/device.ts'
import { maskEmail, phoneEnd } from '../src/security/mask.ts'
import { compileTemplate } from '../src/templates/render.ts'

const TEMPLATES = fileURLToPath(new URL('../templates', import.meta.url))
const render = (template: string, view: object, html = false) => compileTemplate(template).render(view as Record<string, unknown>, { html })

describe('the template language', () => {
  it('fills values, escaping them only in HTML, and never escapes a triple-braced value', () => {
    assert.equal(render('Hi {{name}}!', { name: '<b>Ann</b> & "Bo"' }), 'Hi <b>Ann</b> & "Bo"!')
    assert.equal(render('Hi {{name}}!', { name: '<b>Ann</b> & "Bo"' }, true), 'Hi &#60;b&#62;Ann&#60;/b&#62; &#38; &#34;Bo&#34;!')
    assert.equal(render('<div>{{{body}}}</div>', { body: '<p>x</p>' }, true), '<div><p>x</p></div>')
    assert.equal(render('[{{missing}}] [{{a.b}}]', { a: { b: 0 } }), '[] [0]')
  })

  it('repeats a section per list item, shows it once for a truthy value, inverts with ^, and drops standalone tag lines', () => {
    const template = 'Items:\n{{#items}}\n- {{qty}} × {{sku}} ({{currency}})\n{{/items}}\n{{^items}}\nnone\n{{/items}}\nend'
    assert.equal(render(template, { currency: 'EUR', items: [{ sku: 'A', qty: 1 }, { sku: 'B', qty: 2 }] }), 'Items:\n- 1 × A (EUR)\n- 2 × B (EUR)\nend')
    assert.equal(render(template, { items: [] }), 'Items:\nnone\nend')
    assert.equal(render('{{#vip}}VIP {{/vip}}{{name}}', { vip: true, name: 'Z' }), 'VIP Z')
  })

  it('refuses unbalanced sections when compiled', () => {
    assert.throws(() => compileTemplate('{{#a}}x'), /not closed/)
    assert.throws(() => compileTemplate('{{#a}}x{{/b}}'), /unexpected/)
  })
})

describe('money in minor units', () => {
  it('writes each currency with its own decimals, exactly, as the locale does', () => {
    assert.equal(formatMoney(123456, 'EUR', 'en'), '€1,234.56')
    assert.equal(formatMoney(123456, 'EUR', 'de'), '1.234,56\u00a0€')
    assert.equal(formatMoney(500, 'JPY', 'en'), '¥500')
    assert.equal(formatMoney(1005, 'BHD', 'en'), 'BHD\u00a01.005')
    assert.equal(formatMoney(9_007_199_254_740_991, 'USD', 'en'), '$90,071,992,547,409.91')
    assert.equal(formatMoney(-5, 'USD', 'en'), '-$0.05')
  })
})

describe('the shipped template files', () => {
  it('have every message in English for both channels, and German too', async () => {
    const templates = await loadTemplates(TEMPLATES)
    assert.deepEqual(templates.locales.sort(), ['de', 'en'])
    const vars = {
      code: '123456',
      link: 'https://x.example/t',
      expiresInMinutes: '10',
      purpose: 'login',
      reason: 'reset',
      name: 'Ann',
      changes: ['email'],
      method: 'password',
      at: '2026-01-02T03:04:05Z',
      orderId: 'o-1',
      items: [{ sku: 'A', quantity: 1, unitPrice: 100 }],
      total: 100,
      currency: 'USD',
      newEmail: 'an***@example.com',
      undoLink: 'https://x.example/undo',
      newPhoneEnd: '4567',
      browser: 'Firefox',
      os: 'Windows',
      ip: '203.0.113.7',
      deletedBy: 'admin'
    }
    for (const name of Object.keys(TEMPLATE_DEFINITIONS)) {
      for (const locale of ['en', 'de']) {
        const email = templates.render(name, 'email', locale, vars, 'Gatehouse')
        assert.ok(email.subject && !email.subject.includes('{{'), `${locale}/${name} subject`)
        assert.ok(email.text.length > 20 && !email.text.includes('{{'), `${locale}/${name} text`)
        assert.match(email.html!, new RegExp(`<html lang="${locale}">`), `${locale}/${name} html`)
        const sms = templates.render(name, 'sms', locale, vars, 'Gatehouse')
        assert.ok(sms.text.length <= 160 * 2 && !sms.text.includes('{{') && !sms.text.includes('\n'), `${locale}/${name} sms: ${sms.text}`)
      }
    }
  })

  it('refuse to load when English lacks a message', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'templates-'))
    try {
      await cp(TEMPLATES, dir, { recursive: true })
      await rm(join(dir, 'en', 'welcome.sms.txt'))
      await assert.rejects(loadTemplates(dir), /templates\/en lacks welcome\.sms/)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('fall back to English message by message when a locale lacks one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'templates-'))
    try {
      await cp(TEMPLATES, dir, { recursive: true })
      await rm(join(dir, 'de', 'welcome.email.txt'))
      const templates = await loadTemplates(dir)
      assert.equal(templates.render('welcome', 'email', 'de', { name: 'Ann' }, 'Gatehouse').subject, 'Welcome to Gatehouse')
      assert.equal(templates.render('welcome', 'sms', 'de', {}, 'Gatehouse').text, 'Willkommen bei Gatehouse! Ihr Konto ist bereit.')
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})

describe('security messages', () => {
  const secrets = { code: '135790', link: 'https://x.example/reset?token=LINK-TOKEN', token: 'RAW-TOKEN', otp: '246802' }
  const undoLink = 'https://x.example/undo?token=UNDO-TOKEN'
  const vars = { ...secrets, undoLink, at: '2026-01-02T03:04:05Z', newEmail: 'an***@example.com', newPhoneEnd: '4567', reason: 'change', method: 'password' }
  const security = Object.keys(TEMPLATE_DEFINITIONS).filter(name => TEMPLATE_DEFINITIONS[name]!.security)

  it('are the password change, new-device sign-in, email and phone change, disabled and deleted messages', () => {
    assert.deepEqual(security.sort(), ['account_deleted', 'account_disabled', 'email_change_requested', 'identity_linked', 'new_device_login', 'passkey_added', 'passkey_removed', 'password_changed', 'phone_changed'])
  })

  it('never show a code or a token, even when a sender passes one; only the email-change mail shows its undo link', async () => {
    const templates = await loadTemplates(TEMPLATES)
    for (const name of security) {
      for (const locale of ['en', 'de']) {
        for (const channel of ['email', 'sms'] as const) {
          const { subject, text, html } = templates.render(name, channel, locale, vars, 'Gatehouse')
          const all = [subject, text, html].join('\n')
          for (const secret of [...Object.values(secrets), 'LINK-TOKEN']) assert.ok(!all.includes(secret), `${locale}/${name}.${channel} shows ${secret}`)
          const showsUndo = name === 'email_change_requested' && channel === 'email'
          assert.equal(text.includes(undoLink), showsUndo, `${locale}/${name}.${channel} and the undo link`)
          if (html) assert.equal(html.includes('UNDO-TOKEN'), showsUndo)
        }
      }
    }
  })

  it('name the device from a short list, never from the header\'s own words', async () => {
    const templates = await loadTemplates(TEMPLATES)
    const firefox = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0'
    const iphone = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1'
    const edge = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0'
    assert.deepEqual(summariseUserAgent(firefox), { browser: 'Firefox', os: 'Windows' })
    assert.deepEqual(summariseUserAgent(iphone), { browser: 'Safari', os: 'iPhone' })
    assert.deepEqual(summariseUserAgent(edge), { browser: 'Edge', os: 'macOS' })
    assert.deepEqual(summariseUserAgent('Call +1 555 0100 or visit https://evil.example/login'), { browser: undefined, os: undefined })
    assert.equal(plainIp('203.0.113.7'), '203.0.113.7')
    assert.equal(plainIp('2001:db8::1'), '2001:db8::1')
    assert.equal(plainIp('see https://evil.example'), undefined)

    const sms = (locale: string, device: object) => templates.render('new_device_login', 'sms', locale, { at: vars.at, ...device }, 'Gatehouse').text
    assert.match(sms('en', summariseUserAgent(firefox)), /^Gatehouse: new sign-in from Firefox on Windows on January 2, 2026 at 3:04:05\sAM UTC\. Not you\?/)
    assert.match(sms('de', summariseUserAgent(firefox)), /^Gatehouse: Neue Anmeldung von Firefox auf Windows am 2\. Januar 2026/)
    assert.match(sms('en', {}), /new sign-in from an unknown device on/)
    assert.match(sms('de', {}), /Neue Anmeldung von einem unbekannten Gerät am/)
  })

  it('mask the new email address and show only the end of a new phone number', () => {
    assert.equal(maskEmail('ann.smith@example.com'), 'an***@example.com')
    assert.equal(maskEmail('a@example.com'), '***@example.com')
    assert.equal(phoneEnd('+49 151 2345 6789'), '6789')
    assert.equal(phoneEnd(null), undefined)
  })
})
