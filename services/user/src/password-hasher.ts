import { randomBytes } from 'node:crypto'
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

/** argon2id on the libuv thread pool (never on the event loop). */
export function createPasswordHasher (params: HashParams): PasswordHasher {
  const options = { algorithm: ARGON2ID, ...params }
  let decoy: Promise<string> | undefined
  return {
    hash: (password) => hash(password, options),
    async verify (passwordHash, password) {
      if (!passwordHash) {
        decoy ??= hash(randomBytes(16).toString('hex'), options)
        await verify(await decoy, password).catch(() => false)
        return false
      }
      return verify(passwordHash, password).catch(() => false)
    }
  }
}
