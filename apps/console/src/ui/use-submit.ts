import { useState } from 'react'
import type { Outcome, Problem } from '../problem.ts'
import { fieldErrors } from '../problem.ts'

/**
 * A form's sending state: `fields` holds the messages beside each field (the
 * form's own checks first, then the API's validation problem), `problem` the
 * refusal shown above the form.
 */
export function useSubmit () {
  const [busy, setBusy] = useState(false)
  const [problem, setProblem] = useState<Problem | undefined>()
  const [fields, setFields] = useState<Record<string, string>>({})

  /** Runs `send` unless `checks` found something; returns the outcome, or undefined when nothing was sent. */
  async function submit<T> (checks: Record<string, string>, send: () => Promise<Outcome<T>>): Promise<Outcome<T> | undefined> {
    setFields(checks)
    setProblem(undefined)
    if (Object.keys(checks).length > 0) return undefined
    setBusy(true)
    try {
      const outcome = await send()
      if (!outcome.ok) {
        const byField = fieldErrors(outcome.problem)
        setFields(byField)
        setProblem(outcome.problem)
      }
      return outcome
    } finally {
      setBusy(false)
    }
  }
  return { busy, problem, fields, submit, setProblem, setFields }
}
