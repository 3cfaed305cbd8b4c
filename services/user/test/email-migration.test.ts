import { after, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { cp, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { migrate, KIT_MIGRATIONS } from '@app/kit/db'
import { openTestDb } from '@app/kit/testing'
import { userService } from '../src/service.ts'

const dirs: string[] = []
after(async () => { for (const dir of dirs) await rm(dir, { recursive: true, force: true }) })

/** A database as the user service left it before emails were stored in NFKC: migrations 0001 to 0004. */
async function earlierDb () {
  const t = await openTestDb('user_nfkc')
  const dir = await mkdtemp(join(tmpdir(), 'user-nfkc-'))
  dirs.push(dir)
  for (const name of ['0001_users.sql', '0002_user_preferences.sql', '0003_order_count.sql', '0004_account_state.sql']) {
    await cp(join(userService.migrationsDir!, name), join(dir, name))
  }
  await migrate(t.db, [KIT_MIGRATIONS, { scope: 'user', dir }])
  return t
}

describe('migration 0005: stored emails in the canonical form', () => {
  it('rewrites full-width, decomposed and zero-width spellings, and leaves a row alone whose canonical form is another account\'s', async () => {
    const t = await earlierDb()
    after(() => t.cleanup())
    const rows: Array<[string, string]> = [
      ['wide', 'ａｎｎ@example.com'],
      ['decomposed', 'jose\u0301@example.com'],
      ['hidden', 'b\u200bob@example.com'],
      ['owner', 'carol@example.com'],
      ['collides', 'ｃａｒｏｌ@example.com'],
      ['plain', 'Dave@example.com']
    ]
    const ids = new Map(rows.map(([tag]) => [tag, randomUUID()]))
    for (const [tag, email] of rows) await t.db.query('insert into users (id, email) values ($1, $2)', [ids.get(tag), email])
    await migrate(t.db, [KIT_MIGRATIONS, { scope: 'user', dir: userService.migrationsDir! }])
    const { rows: after5 } = await t.db.query<{ id: string, email: string }>('select id, email from users')
    const emailOf = (tag: string) => after5.find(r => r.id === ids.get(tag))!.email
    assert.equal(emailOf('wide'), 'ann@example.com')
    assert.equal(emailOf('decomposed'), 'jos\u00e9@example.com')
    assert.equal(emailOf('hidden'), 'bob@example.com')
    assert.equal(emailOf('owner'), 'carol@example.com')
    assert.equal(emailOf('collides'), 'ｃａｒｏｌ@example.com')
    assert.equal(emailOf('plain'), 'Dave@example.com')
  })
})
