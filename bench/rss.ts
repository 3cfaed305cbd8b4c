import { readFileSync } from 'node:fs'

/** A process's resident-set high-water mark (VmHWM) in MB, from the kernel; undefined once it is gone. */
export function peakRssMb (pid: number): number | undefined {
  return statusField(pid, 'VmHWM')
}

/** Its resident set now (VmRSS) in MB. */
export function rssMb (pid: number): number | undefined {
  return statusField(pid, 'VmRSS')
}

function statusField (pid: number, field: string): number | undefined {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find(l => l.startsWith(`${field}:`))
    return line === undefined ? undefined : Math.round(Number(line.split(/\s+/)[1]) / 1024)
  } catch {
    return undefined
  }
}
