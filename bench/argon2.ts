import { hash } from '@node-rs/argon2'

/** Raw argon2id hashes per second with the production parameters, on all libuv threads: the ceiling for sign-up and login. */
export async function argon2HashesPerSecond (seconds = 5): Promise<number> {
  const options = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 }
  const deadline = Date.now() + seconds * 1000
  let done = 0
  const worker = async () => {
    while (Date.now() < deadline) {
      await hash('correct horse battery staple', options)
      done++
    }
  }
  await Promise.all(Array.from({ length: 8 }, worker))
  return Math.round(done / seconds)
}
