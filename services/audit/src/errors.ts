import { defineErrors } from '@app/kit/errors'

export const AuditErrors = defineErrors('audit', {
  audit_event_id_conflict: { status: 409, message: 'Event id already recorded with other content' }
})
