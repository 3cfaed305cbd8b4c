import { Type } from '@sinclair/typebox'

export const AuditConfigSchema = Type.Object({
  AUDIT_VERIFY_PAGE_SIZE: Type.Integer({ default: 1000, minimum: 1, maximum: 10_000, description: 'entries read per query while GET /api/v1/audit/verify walks the chain; bounds its memory' })
})
