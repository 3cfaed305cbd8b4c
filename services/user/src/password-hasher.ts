import { randomBytes } from 'node:crypto'
import { availableParallelism } from 'node:os'
import { hash, verify } from '@node-rs/argon2'

// Algorithm.Argon2id; the package exports it as a const enum, which erasable TypeScript cannot import.
const ARGON2ID = 2

export interface HashParams {
  memoryCost: number
  timeCost: number
  parallelism: number
}

/** The argon2id cost from the user service's settings. */
export function hashParams (config: { USER_ARGON2_MEMORY_KIB: number, USER_ARGON2_TIME_COST: number, USER_ARGON2_PARALLELISM: number }): HashParams {
  return { memoryCost: config.USER_ARGON2_MEMORY_KIB, timeCost: config.USER_ARGON2_TIME_COST, parallelism: config.USER_ARGON2_PARALLELISM }
}

export interface PasswordHasher {
  hash(password: string): Promise<string>
  /** Always does one full argon2id verification, so "no such user" costs what "wrong password" costs. */
  verify(passwordHash: string | null | undefined, password: string): Promise<boolean>
}

/** Runs at most `limit` tasks at a time, the others in arrival order. */
export function createGate (limit: number) {
  let running = 0
  const waiting: Array<() => void> = []
  return async function run<T> (task: () => Promise<T>): Promise<T> {
    if (running >= limit) await new Promise<void>(resolve => waiting.push(resolve))
    else running++
    try {
      return await task()
    } finally {
      const next = waiting.shift()
      if (next) next()
      else running--
    }
  }
}

/**
 * argon2id on the libuv thread pool (never on the event loop), at most one hash per core at a
 * time: more would not finish sooner, would hold `memoryCost` each (19 MiB by default), and would
 * take every pool thread from the process's other work (file reads, WebCrypto, DNS).
 */
export function createPasswordHasher (params: HashParams, concurrency = availableParallelism()): PasswordHasher {
  const options = { algorithm: ARGON2ID, ...params }
  const gate = createGate(Math.max(1, concurrency))
  let decoy: Promise<string> | undefined
  return {
    hash: (password) => gate(() => hash(password, options)),
    async verify (passwordHash, password) {
      if (!passwordHash) {
        decoy ??= gate(() => hash(randomBytes(16).toString('hex'), options))
        const stored = await decoy
        await gate(() => verify(stored, password)).catch(() => false)
        return false
      }
      return gate(() => verify(passwordHash, password)).catch(() => false)
    }
  }
}
