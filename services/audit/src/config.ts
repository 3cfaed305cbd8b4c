import { Type } from '@sinclair/typebox'

export const AuditConfigSchema = Type.Object({
  AUDIT_VERIFY_PAGE_SIZE: Type.Integer({ default: 1000, minimum: 1, maximum: 10_000, description: 'entries read per query while GET /api/v1/audit/verify walks the chain; bounds its memory' }),
  AUDIT_CHAIN_VERIFY_INTERVAL_SECONDS: Type.Integer({ default: 3600, minimum: 0, maximum: 604_800, description: 'how often the whole hash chain is walked for the gatehouse_audit_chain_* metrics (by one audit instance at a time; the others take its result); 0 turns it off' })
})
