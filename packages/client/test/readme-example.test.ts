/**
 * The README's typed-client example (the ts block under "## Typed client"), as
 * written: type-checked against `@app/client` as a browser app compiles it (DOM
 * types, no Node types, bundler resolution), then run against the platform with
 * the browser globals it touches (localStorage, location, prompt) stood in for
 * and `baseUrl` pointed at this test's gateway.
 */
import assert from 'node:assert/strict'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { describe, it } from 'node:test'
import { fileURLToPath, pathToFileURL } from 'node:url'
import ts from 'typescript'
import { usePlatform } from '../../../test/e2e/helper.ts'

const HERE = dirname(fileURLToPath(import.meta.url))
const README = join(HERE, '../../../README.md')
const BASE_URL = "baseUrl: 'http://127.0.0.1:8080'"

function example (): string {
  const markdown = readFileSync(README, 'utf8')
  const section = markdown.slice(markdown.indexOf('\n## Typed client\n'))
  const block = /^```ts\n([\s\S]*?)^```$/m.exec(section)
  assert.ok(markdown.includes('\n## Typed client\n') && block, 'README.md has a ts block under "## Typed client"')
  return block[1]!
}

/** The compiler's complaints about `code` as a module in this folder, compiled like a browser app (apps/console). */
function typeErrors (code: string): string[] {
  const file = join(HERE, '__readme_example__.ts')
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2023,
    lib: ['lib.es2023.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    strict: true,
    noUncheckedIndexedAccess: true,
    allowImportingTsExtensions: true,
    verbatimModuleSyntax: true,
    noEmit: true,
    skipLibCheck: true,
    types: []
  }
  const host = ts.createCompilerHost(options)
  const { fileExists, readFile, getSourceFile } = host
  host.fileExists = (name) => name === file || fileExists.call(host, name)
  host.readFile = (name) => name === file ? code : readFile.call(host, name)
  host.getSourceFile = (name, language, ...rest) => name === file
    ? ts.createSourceFile(name, code, language)
    : getSourceFile.call(host, name, language, ...rest)
  const program = ts.createProgram([file], options, host)
  return ts.getPreEmitDiagnostics(program).map(d => {
    const text = ts.flattenDiagnosticMessageText(d.messageText, '\n')
    if (!d.file || d.start === undefined) return text
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start)
    return `${d.file.fileName === file ? 'README example' : d.file.fileName}:${line + 1}:${character + 1} ${text}`
  })
}

/** The part of the Web Storage API the example's webTokenStorage(localStorage) uses. */
function memoryStorage () {
  const items = new Map<string, string>()
  return {
    items,
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => { items.set(key, value) },
    removeItem: (key: string) => { items.delete(key) }
  }
}

describe('the typed client example in the README', () => {
  const gw = usePlatform()

  it('type-checks as a browser app compiles it', async () => {
    const code = example()
    assert.ok(code.includes(BASE_URL), `the example sets ${BASE_URL}`)
    assert.deepEqual(typeErrors(code), [])
  })

  it('runs against the platform: logs in, reads the user, places an order, logs out', async (t) => {
    const code = example()
    const registered = await gw.json('POST', '/api/v1/users/register', { email: 'ada@example.com', password: 'correct horse battery', name: 'Ada' })
    assert.equal(registered.status, 201)

    const storage = memoryStorage()
    const writes: string[] = []
    const setItem = storage.setItem
    storage.setItem = (key, value) => { writes.push(key); setItem(key, value) }
    const globals = globalThis as Record<string, unknown>
    const saved = { localStorage: globals.localStorage, location: globals.location, prompt: globals.prompt }
    Object.assign(globals, { localStorage: storage, location: { assign: () => { throw new Error('the session ended') } }, prompt: () => { throw new Error('no two-step login expected') } })
    t.after(() => { Object.assign(globals, saved) })

    // A module beside this file, so '@app/client' resolves as it does for an app in the workspace.
    const file = join(HERE, `.readme-example-${process.pid}.ts`)
    writeFileSync(file, `${code.replace(BASE_URL, `baseUrl: '${gw.url}'`)}\nexport { login, me, order, verified }\n`)
    t.after(() => { rmSync(file, { force: true }) })
    const ran = await import(pathToFileURL(file).href) as Record<string, { data?: Record<string, unknown>, error?: unknown, response: Response }>

    assert.equal(ran.login!.response.status, 200, JSON.stringify(ran.login!.error))
    assert.equal(ran.me!.data?.email, 'ada@example.com')
    assert.equal(ran.order!.response.status, 201, JSON.stringify(ran.order!.error))
    assert.equal(ran.order!.data?.total, 900)
    assert.equal(ran.verified!.data, undefined, 'no code was sent to that phone')
    assert.deepEqual(writes.filter(k => k === 'gatehouse.tokens').length > 0, true, 'the tokens went to localStorage')
    assert.equal(storage.items.has('gatehouse.tokens'), false, 'logout forgot them')

    // The order is Ada's.
    const again = await gw.json('POST', '/api/v1/auth/login', { email: 'ada@example.com', password: 'correct horse battery' })
    const orders = await gw.json('GET', '/api/v1/orders', undefined, { authorization: `Bearer ${again.body.accessToken}` })
    assert.deepEqual(orders.body.items.map((o: { id: string }) => o.id), [ran.order!.data?.id])
  })
})
