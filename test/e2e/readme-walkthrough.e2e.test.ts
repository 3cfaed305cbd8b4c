/**
 * The README's "Try it with curl" walk-through, run as written: the bash blocks
 * between its `<!-- walkthrough: ... -->` and `<!-- walkthrough end -->` markers,
 * in order, in one bash process (with `set -euo pipefail`, stricter than a
 * terminal), against the platform this file starts (embedded, or the real
 * servers when their URLs are set). The README's only variable part is the
 * gateway, `GATEHOUSE=${GATEHOUSE:-http://127.0.0.1:8080}`: the test sets
 * GATEHOUSE to its own gateway. Everything the blocks print is checked, in
 * order, against what the README's comments say they print, and the platform is
 * asked afterwards whether it really happened there.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { usePlatform } from './helper.ts'

const README = new URL('../../README.md', import.meta.url)
const START = '<!-- walkthrough:'
const END = '<!-- walkthrough end -->'
const RUN_TIMEOUT_MS = 180_000

/** The fenced bash blocks between the markers, in order. */
function walkthroughBlocks (markdown: string): string[] {
  const start = markdown.indexOf(START)
  const end = markdown.indexOf(END)
  assert.ok(start >= 0 && end > start, `README.md has no walk-through between "${START}" and "${END}"`)
  const section = markdown.slice(start, end)
  return [...section.matchAll(/^```bash\n([\s\S]*?)^```$/gm)].map(m => m[1]!)
}

/** What the script printed: JSON values (jq's pretty output, status codes) and plain lines, per block. */
interface Output { block: number, value: unknown }

function parseOutputs (stdout: string): Output[] {
  const outputs: Output[] = []
  let block = -1
  let pending = ''
  for (const line of stdout.split('\n')) {
    const marker = /^::block (\d+)$/.exec(line)
    if (marker && pending === '') { block = Number(marker[1]); continue }
    if (pending === '' && line.trim() === '') continue
    pending += `${line}\n`
    try {
      outputs.push({ block, value: JSON.parse(pending) })
      pending = ''
    } catch {
      // A JSON document spread over several lines is still open; anything else is a plain line.
      if (!/^[[{"]/.test(pending)) { outputs.push({ block, value: pending.trimEnd() }); pending = '' }
    }
  }
  if (pending !== '') outputs.push({ block, value: pending.trimEnd() })
  return outputs
}

type Json = Record<string, unknown>
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)
const tokenPair = (v: unknown) => isObject(v) && typeof v.accessToken === 'string' && typeof v.refreshToken === 'string' && v.tokenType === 'Bearer' && v.expiresIn === 900
const problem = (status: number, code: string) => (v: unknown) => isObject(v) && v.status === status && v.code === code

const ADA = 'ada@example.com'
const PHONE = '+14155550123'

/** Every output of the walk-through, in order: what it shows a reader. */
const EXPECTED: Array<[string, (v: unknown) => boolean]> = [
  ['the registered user, email not yet verified', v => isObject(v) && v.email === ADA && v.name === 'Ada' && v.emailVerified === false],
  ['the verification result', v => isObject(v) && v.email === ADA && v.verified === true],
  ['the login\'s token pair', tokenPair],
  ['/users/me with the access token: Ada, verified', v => isObject(v) && v.email === ADA && v.emailVerified === true],
  ['/users/me with the refreshed access token', v => v === ADA],
  ['logout', v => v === 204],
  ['the logged-out refresh token refused', problem(401, 'unauthorized')],
  ['phone sign-up accepted', v => isObject(v) && v.message === 'OTP will be sent soon'],
  ['/users/me of the phone account', v => isObject(v) && v.phone === PHONE && v.phoneVerified === true],
  ['forgot password: the uniform answer', v => isObject(v) && typeof v.message === 'string'],
  ['password reset', v => v === 204],
  ['the old password refused', problem(401, 'invalid_credentials')],
  ['two-step login: a code is on its way', v => isObject(v) && v.enabled === false && v.channel === 'email'],
  ['two-step login on, with recovery codes', v => isObject(v) && v.enabled === true && v.channel === 'email' && Array.isArray(v.recoveryCodes) && v.recoveryCodes.length === 10],
  ['the login\'s two-step challenge', v => isObject(v) && v.mfaRequired === true && typeof v.challengeId === 'string' && v.channel === 'email'],
  ['/users/me with the tokens of the two-step login', v => v === ADA]
]

function runBash (script: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null, signal: string | null, stdout: string, stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', script], { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk })
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk })
    const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS)
    child.on('error', reject)
    child.on('close', (code, signal) => { clearTimeout(timer); resolve({ code, signal, stdout, stderr }) })
  })
}

describe('the README walk-through', () => {
  const gw = usePlatform()

  it('finds the walk-through in README.md', () => {
    const blocks = walkthroughBlocks(readFileSync(README, 'utf8'))
    assert.ok(blocks.length >= 5, `${blocks.length} bash blocks in the walk-through`)
    assert.match(blocks[0]!, /^GATEHOUSE=\$\{GATEHOUSE:-http:\/\/127\.0\.0\.1:8080\}/m, 'the first block names the gateway, overridable')
    for (const block of blocks) assert.doesNotMatch(block.replace(/^GATEHOUSE=.*$/m, ''), /:8080/, 'every command goes through $GATEHOUSE')
  })

  it('runs every command as written: register, verify, login, refresh, logout, phone sign-up, reset, two-step login', async () => {
    for (const tool of ['bash', 'curl', 'jq']) {
      assert.equal(spawnSync(tool, ['--version'], { stdio: 'ignore' }).status, 0, `${tool} is missing: the walk-through needs it (apt-get install ${tool}; bash .ci/run installs it)`)
    }
    const blocks = walkthroughBlocks(readFileSync(README, 'utf8'))
    const script = ['set -euo pipefail', ...blocks.map((block, i) => `printf '\\n::block %d\\n' ${i}\n${block}`)].join('\n')
    const run = await runBash(script, { ...process.env, GATEHOUSE: gw.url })
    const transcript = `--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`
    assert.equal(run.code, 0, `the walk-through failed (exit ${run.code}, signal ${run.signal}) in block ${parseOutputs(run.stdout).at(-1)?.block ?? 0}\n${transcript}`)
    assert.equal(run.stderr, '', `the walk-through wrote to stderr\n${transcript}`)

    const outputs = parseOutputs(run.stdout)
    for (const [i, [what, matches]] of EXPECTED.entries()) {
      const output = outputs[i]
      assert.ok(output !== undefined, `missing output ${i + 1}: ${what}\n${transcript}`)
      assert.ok(matches(output.value), `output ${i + 1} (block ${output.block}) should be ${what}, got ${JSON.stringify(output.value)}\n${transcript}`)
    }
    assert.equal(outputs.length, EXPECTED.length, `more output than the README describes: ${JSON.stringify(outputs.slice(EXPECTED.length).map(o => o.value))}`)

    // It happened on this platform: the new password, with two-step login on, and the phone account.
    const login = await gw.json('POST', '/api/v1/auth/login', { email: ADA, password: 'staple gun kangaroo' })
    assert.equal(login.status, 200)
    assert.equal(login.body.mfaRequired, true)
    assert.deepEqual((await gw.json('POST', '/api/v1/auth/phone/check', { phone: PHONE })).body, { isValid: true })
  })
})
