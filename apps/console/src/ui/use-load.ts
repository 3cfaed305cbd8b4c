import { useEffect, useRef, useState } from 'react'
import type { Outcome } from '../problem.ts'

/** Loads on mount, again when a value of `deps` changes or on `reload`, keeping the last outcome; for `<Loaded>`. */
export function useLoad<T> (load: () => Promise<Outcome<T>>, deps: unknown[] = []) {
  const [state, setState] = useState<Outcome<T> | undefined>()
  const [round, setRound] = useState(0)
  const latest = useRef(load)
  latest.current = load
  const key = JSON.stringify(deps)
  useEffect(() => {
    let live = true
    setState(undefined)
    latest.current().then(outcome => { if (live) setState(outcome) }, () => {})
    return () => { live = false }
  }, [key, round])
  return { state, reload: () => setRound(r => r + 1), setState }
}
