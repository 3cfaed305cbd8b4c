import { writeFileSync } from 'node:fs'

const KEPT_LINES = 50_000

/** Every child's output lines (prefixed `tag | `), the newest kept, for failure reports. */
export function createOutputLog () {
  const lines: string[] = []
  return {
    write: (line: string) => {
      lines.push(`${new Date().toISOString()} ${line}`)
      if (lines.length > KEPT_LINES) lines.splice(0, lines.length - KEPT_LINES)
    },
    /** The last `count` lines, of one instance when `tag` is given. */
    tail: (count: number, tag?: string) => (tag ? lines.filter(l => l.includes(` ${tag} | `)) : lines).slice(-count),
    /** Lines matching `pattern`, at most `count` of them. */
    grep: (pattern: RegExp, count: number) => lines.filter(l => pattern.test(l)).slice(0, count),
    save: (path: string) => writeFileSync(path, lines.join('\n') + '\n')
  }
}
