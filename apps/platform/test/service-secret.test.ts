import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { persistedServiceSecret } from '../src/service-secret.ts'

describe('the service secret of a deployment that set none', () => {
  it('is made once and kept in DATA_DIR, readable by its owner only, so a restart can open what was sealed before it', (t) => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'secret-')), 'data')
    t.after(() => rmSync(dataDir, { recursive: true, force: true }))
    const first = persistedServiceSecret(dataDir)
    assert.match(first, /^[0-9a-f]{64}$/)
    assert.equal(persistedServiceSecret(dataDir), first, 'the next start reads the same secret')
    assert.equal(statSync(join(dataDir, 'service-secret')).mode & 0o777, 0o600)
  })
})
