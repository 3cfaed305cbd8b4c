/**
 * The Dockerfile, read the way Docker reads it (no daemon or registry here):
 * a Node 24 LTS slim base whose digest can be pinned, compiled JavaScript run by
 * plain node, production dependencies only, an unprivileged user, a HEALTHCHECK;
 * and package.json "engines" covering both the image's Node and the one the tests run on.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const read = (path: string) => readFileSync(ROOT + path, 'utf8')

interface Instruction { keyword: string, args: string }
interface Stage { from: string, name: string | undefined, instructions: Instruction[] }

/** Instructions in order: comments dropped, `\` continuations joined. */
function instructions (text: string): Instruction[] {
  const logical = text.replace(/\\\n/g, ' ').split('\n').map(l => l.trim()).filter(l => l !== '' && !l.startsWith('#'))
  return logical.map(line => {
    const [, keyword, args] = /^(\S+)\s+(.*)$/.exec(line)!
    return { keyword: keyword!.toUpperCase(), args: args!.trim() }
  })
}

function parse (text: string) {
  const globalArgs = new Map<string, string>()
  const stages: Stage[] = []
  for (const i of instructions(text)) {
    if (i.keyword === 'FROM') {
      const [, from, name] = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(i.args)!
      stages.push({ from: from!, name, instructions: [] })
    } else if (stages.length === 0) {
      assert.equal(i.keyword, 'ARG', `only ARG may come before the first FROM, not ${i.keyword}`)
      const [name, value = ''] = i.args.split(/=(.*)/s)
      globalArgs.set(name!, value)
    } else {
      stages.at(-1)!.instructions.push(i)
    }
  }
  return { globalArgs, stages }
}

/** Docker's substitution in FROM: ${A}, ${A:-word}, ${A:+word} (word may hold variables itself). */
function expand (text: string, vars: Map<string, string>): string {
  let out = text
  for (let i = 0; i < 10 && out.includes('${'); i++) {
    out = out.replace(/\$\{([A-Z_]+)(?::([-+])((?:[^${}]|\$\{[^}]*\})*))?\}/g, (_m, name: string, op?: string, word = '') => {
      const value = vars.get(name) ?? ''
      if (op === '+') return value ? word : ''
      if (op === '-') return value || word
      return value
    })
  }
  return out
}

const exec = (args: string) => JSON.parse(args) as string[]
const dockerfile = parse(read('Dockerfile'))
const final = dockerfile.stages.at(-1)!
const stageNamed = (name: string) => dockerfile.stages.find(s => s.name === name)!
const of = (stage: Stage, keyword: string) => stage.instructions.filter(i => i.keyword === keyword)

/** True when `version` (x.y.z) satisfies a range of `^M.m` / `^M` alternatives joined by `||`. */
function satisfies (range: string, version: string): boolean {
  const [major, minor] = version.replace(/^v/, '').split('.').map(Number)
  return range.split('||').map(r => r.trim()).some(alternative => {
    const match = /^\^(\d+)(?:\.(\d+))?$/.exec(alternative)
    assert.ok(match, `engines alternative "${alternative}" is not of the form ^major[.minor]`)
    return Number(match[1]) === major && minor! >= Number(match[2] ?? 0)
  })
}

describe('Dockerfile', () => {
  it('builds on Node 24 LTS slim, a digest pinning it when NODE_DIGEST is set', () => {
    const { globalArgs, stages } = dockerfile
    assert.match(globalArgs.get('NODE_IMAGE')!, /^node:24-[a-z]+-slim$/)
    const digest = globalArgs.get('NODE_DIGEST')
    assert.ok(digest !== undefined, 'a NODE_DIGEST build argument')
    assert.ok(digest === '' || /^sha256:[0-9a-f]{64}$/.test(digest), `NODE_DIGEST "${digest}" is empty or sha256:<64 hex digits>`)
    const base = stages[0]!
    assert.equal(base.name, 'base')
    const pinned = `sha256:${'ab'.repeat(32)}`
    assert.equal(expand(base.from, new Map([...globalArgs, ['NODE_DIGEST', pinned]])), `node:24-trixie-slim@${pinned}`)
    assert.equal(expand(base.from, new Map([...globalArgs, ['NODE_DIGEST', '']])), 'node:24-trixie-slim')
    for (const stage of stages.slice(1)) assert.equal(stage.from, 'base', `stage ${stage.name ?? '(final)'} builds on the one base`)
    assert.match(read('Dockerfile'), /docker buildx imagetools inspect node:24-trixie-slim/, 'says how to find the digest')
  })

  it('states in engines the Node of the image and the Node these tests run on', () => {
    const range = JSON.parse(read('package.json')).engines.node as string
    assert.ok(satisfies(range, '24.0.0'), `${range} admits the image's Node 24`)
    assert.ok(satisfies(range, process.version), `${range} admits ${process.version}, which runs the tests`)
    const lock = JSON.parse(read('package-lock.json')).packages[''].engines.node
    assert.equal(lock, range, 'package-lock.json records the same range')
  })

  it('ships production dependencies only and compiled code without its sources', () => {
    const deps = of(stageNamed('deps'), 'RUN').map(i => i.args).join('\n')
    assert.match(deps, /npm ci --omit=dev/)
    const copies = of(final, 'COPY').map(i => i.args)
    assert.deepEqual(copies, ['--from=deps /app ./', '--from=build /runtime ./'], 'node_modules only from the --omit=dev stage')
    const layout = of(stageNamed('build'), 'RUN').map(i => i.args).join('\n')
    assert.match(layout, /node scripts\/build\.mjs/)
    for (const removed of ['/runtime/packages/*/src', '/runtime/services/*/src', '/runtime/apps/*/src',
      '/runtime/packages/*/node_modules', '/runtime/services/*/node_modules', '/runtime/apps/*/node_modules']) {
      assert.ok(layout.includes(removed), `the build stage leaves out ${removed}`)
    }
    assert.equal(of(final, 'RUN').length, 0, 'the final stage installs nothing')
  })

  it('ships the built console, which the gateway serves from apps/console/dist', () => {
    const layout = of(stageNamed('build'), 'RUN').map(i => i.args).join('\n')
    // scripts/build.mjs builds the console too; the stage fails rather than make an image without it.
    assert.match(layout, /node scripts\/build\.mjs\s+&&\s+test -f apps\/console\/dist\/index\.html/)
    assert.match(layout, /cp -a package\.json packages services apps \/runtime\//, 'apps/ (with apps/console/dist) goes to the runtime')
    assert.doesNotMatch(layout, /rm -rf[^&]*apps\/(\*|console)\/dist/, 'nothing removes the console build')
    assert.match(read('services/gateway/src/console-pages.ts'), /new URL\('\.\.\/\.\.\/\.\.\/apps\/console\/dist\/', import\.meta\.url\)/, 'the gateway finds it beside its own dist/')
    assert.deepEqual(of(final, 'USER').map(i => i.args), ['node'], 'and still runs as the unprivileged node user')
  })

  it('runs the compiled launcher with plain node as the unprivileged node user, in production mode', () => {
    assert.deepEqual(of(final, 'USER').map(i => i.args), ['node'])
    const env = of(final, 'ENV').map(i => i.args).join(' ')
    for (const setting of ['NODE_ENV=production', 'HOST=0.0.0.0', 'PORT=8080', 'REQUIRE_EXTERNAL_BACKENDS=true']) assert.ok(env.includes(setting), setting)
    const cmd = exec(of(final, 'CMD')[0]!.args)
    assert.deepEqual(cmd, ['node', '--conditions=gatehouse-dist', 'apps/platform/dist/main.js'])
    assert.ok(existsSync(ROOT + 'apps/platform/src/main.ts'), 'dist/main.js is compiled from apps/platform/src/main.ts')
  })

  it('has a HEALTHCHECK that runs the health check script with node (no curl in slim images)', () => {
    const [check] = of(final, 'HEALTHCHECK')
    assert.ok(check, 'a HEALTHCHECK in the final stage')
    const [, options, command] = /^((?:--[a-z-]+=\S+\s+)*)CMD\s+(\[.*\])$/.exec(check.args)!
    assert.deepEqual(exec(command!), ['node', 'apps/platform/dist/healthcheck.js'])
    assert.ok(existsSync(ROOT + 'apps/platform/src/healthcheck.ts'))
    assert.match(options!, /--start-period=\d+s/, 'time for migrations before the first failure counts')
    assert.match(options!, /--timeout=\d+s/)
  })

  it('keeps local builds, data, secrets and tests out of the build context', () => {
    const ignored = read('.dockerignore').split('\n').map(l => l.trim()).filter(l => l && !l.startsWith('#'))
    for (const pattern of ['**/node_modules', '**/dist', '/data', '.git', '**/.env', '**/test']) assert.ok(ignored.includes(pattern), pattern)
  })
})
