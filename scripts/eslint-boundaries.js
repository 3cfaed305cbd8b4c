// The dependency direction as a lint rule: a service imports only its own files
// and the shared packages; a package never imports a service or an app.
import { dirname, relative, resolve, sep } from 'node:path'

const root = resolve(dirname(new URL(import.meta.url).pathname), '..')
const PACKAGES = new Set(['kit', 'contracts', 'password-policy'])

/** `services/user`, `packages/kit`, `apps/platform`, or undefined for the rest of the tree. */
function unitOf (path) {
  const [area, name] = relative(root, path).split(sep)
  return ['services', 'packages', 'apps'].includes(area) && name ? `${area}/${name}` : undefined
}

/** The unit an `@app/<name>` import names. */
function unitOfPackage (specifier) {
  const name = specifier.slice('@app/'.length).split('/')[0]
  if (PACKAGES.has(name)) return `packages/${name}`
  if (name === 'platform') return 'apps/platform'
  return `services/${name}`
}

function allowed (from, to) {
  if (!from || !to || from === to) return true
  const [fromArea] = from.split('/')
  const [toArea] = to.split('/')
  if (toArea === 'packages') return true
  // The launcher composes every service; nothing else may.
  return fromArea === 'apps' && toArea === 'services'
}

const noCrossImports = {
  meta: { type: 'problem', messages: { crossing: '{{from}} must not import {{to}}: services talk through events and /internal routes, shared code lives in packages/' } },
  create (context) {
    const from = unitOf(context.filename)
    function check (node) {
      const specifier = node.source?.value
      if (typeof specifier !== 'string') return
      let to
      if (specifier.startsWith('@app/')) to = unitOfPackage(specifier)
      else if (specifier.startsWith('.')) to = unitOf(resolve(dirname(context.filename), specifier))
      else return
      if (!allowed(from, to)) context.report({ node, messageId: 'crossing', data: { from, to } })
    }
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check, ImportExpression: check }
  }
}

export default { rules: { 'no-cross-imports': noCrossImports } }
