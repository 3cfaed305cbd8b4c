/** Serialises async sections: each `run` starts after the previous one settled. */
export function createMutex () {
  let tail: Promise<unknown> = Promise.resolve()
  return {
    run<T> (fn: () => Promise<T>): Promise<T> {
      const result = tail.then(fn, fn)
      tail = result.catch(() => {})
      return result
    }
  }
}
