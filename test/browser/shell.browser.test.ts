import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { useConsoleJourney } from './harness.ts'

describe('the console shell', () => {
  const journey = useConsoleJourney('shell')

  it('opens the login page at / for a visitor, from the platform alone, accessibly', async () => {
    const page = await journey.newPage()
    const scripts: string[] = []
    page.on('request', request => { if (request.resourceType() === 'script') scripts.push(request.url()) })
    await page.goto(`${journey.origin}/`)
    await page.waitForURL(/\/auth\/login/)
    await page.getByRole('heading', { level: 1 }).waitFor()
    assert.ok(scripts.length > 0)
    assert.ok(scripts.every(url => url.startsWith(`${journey.origin}/console/`)), `scripts only from the platform: ${scripts.join(', ')}`)
    await journey.shot(page, 'login')
    await journey.expectAccessible(page, '/auth/login')
  })

  it('answers an unknown page with a page that leads home', async () => {
    const page = await journey.newPage()
    await page.goto(`${journey.origin}/account/no-such-page/deeper`)
    await page.waitForURL(/\/auth\/login/)
    const res = await page.goto(`${journey.origin}/auth/nothing-here`)
    assert.equal(res?.status(), 200)
    await page.getByRole('link', { name: /start page/i }).waitFor()
  })
})
