import neostandard from 'neostandard'
import boundaries from './scripts/eslint-boundaries.js'

export default [
  ...neostandard({ ts: true, ignores: ['**/gen/**', '**/dist/**', 'data/**', 'bench/peers/**'] }),
  {
    // Tests may compose several services into a stack, as the launcher does; service code may not.
    files: ['services/*/src/**', 'packages/*/src/**'],
    plugins: { boundaries },
    rules: { 'boundaries/no-cross-imports': 'error' }
  }
]
