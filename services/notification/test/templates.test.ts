import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { cp, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadTemplates } from '../src/templates/catalogue.ts'
import { TEMPLATE_DEFINITIONS } from '../src/templates/definitions.ts'
import { formatMoney } from '../src/templates/money.ts'
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
      currency: 'USD'
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
