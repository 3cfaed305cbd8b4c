import { readFileSync } from 'node:fs'

// Linux reports utime and stime in clock ticks; USER_HZ is 100 on every architecture Node runs on.
const TICK_MS = 10

/** CPU time (user + system) a process has used so far, in ms, from /proc/<pid>/stat; undefined once it is gone. */
export function cpuMs (pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // The command name may hold spaces: the fields after it start past the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS
  } catch {
    return undefined
  }
}

/** The CPU ms all `pids` used together so far (gone ones count 0). */
export const totalCpuMs = (pids: number[]) => pids.reduce((sum, pid) => sum + (cpuMs(pid) ?? 0), 0)
