import type { Readable } from 'node:stream'

/**
 * The whole request body, held so it can be sent to a second instance, or
 * `too-large` as soon as it is known to exceed `limit`: at once from its
 * Content-Length, or while counting the bytes of a chunked body. The rest of a
 * refused body is read and dropped, so the client can finish sending and read
 * the 413.
 */
export function readBodyWithin (stream: Readable, declaredLength: string | undefined, limit: number): Promise<Buffer | 'too-large'> {
  if (declaredLength !== undefined && Number(declaredLength) > limit) {
    stream.resume()
    return Promise.resolve('too-large')
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size <= limit) return chunks.push(chunk)
      stream.off('data', onData)
      stream.resume()
      resolve('too-large')
    }
    stream.on('data', onData)
    stream.once('end', () => resolve(Buffer.concat(chunks, size)))
    stream.once('error', reject)
  })
}
