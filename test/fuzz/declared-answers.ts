import Ajv2020Module from 'ajv/dist/2020.js'
import type { ValidateFunction } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import type { Operation } from './openapi-operations.ts'
import type { RawResponse } from './raw-request.ts'

// Both are CommonJS: under ESM their function is the default export's `default`.
const Ajv2020 = Ajv2020Module.default

function parsedJson (body: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(body) as unknown }
  } catch {
    return undefined
  }
}

/**
 * Checks answers against what the OpenAPI document declares for their
 * operation: the status (or its `4XX`/`default`), the content type, and the
 * body against the declared schema. Returns what is undeclared, or undefined.
 */
export function createDeclaredAnswerCheck () {
  const ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: true })
  addFormats.default(ajv)
  const validators = new Map<string, ValidateFunction>()
  const validatorFor = (key: string, schema: object) => {
    let validate = validators.get(key)
    if (!validate) validators.set(key, validate = ajv.compile(schema))
    return validate
  }

  return (op: Operation, res: RawResponse): string | undefined => {
    const status = String(res.status)
    const declared = op.responses[status] ?? op.responses[`${status[0]}XX`] ?? op.responses.default
    if (!declared) return `status ${status} is not declared (declared: ${Object.keys(op.responses).join(', ')})`
    const media = res.contentType.split(';')[0]!.trim().toLowerCase()
    const content = declared.content ?? {}
    if (Object.keys(content).length === 0) {
      return res.body === '' ? undefined : `a ${status} with a body (${media || 'no content type'}) where none is declared`
    }
    const entry = content[media]
    if (!entry) return `content type ${media || '(none)'} is not declared for ${status} (declared: ${Object.keys(content).join(', ')})`
    if (!entry.schema || !/[/+]json$/.test(media)) return undefined
    const body = parsedJson(res.body)
    if (!body) return `a ${status} ${media} body that is not JSON`
    const validate = validatorFor(`${op.method} ${op.path} ${status} ${media}`, entry.schema)
    if (validate(body.value)) return undefined
    return `a ${status} body that does not match the declared schema: ${ajv.errorsText(validate.errors, { dataVar: 'body' })}`
  }
}
