import { defineErrors } from './app-error.ts'

export const KitErrors = defineErrors('kit', {
  validation_failed: { status: 400, message: 'Request validation failed' },
  malformed_json: { status: 400, message: 'Request body is not valid JSON' },
  sms_unavailable: { status: 400, message: 'SMS is not available' },
  unauthorized: { status: 401, message: 'Authentication required' },
  forbidden: { status: 403, message: 'Not allowed' },
  reauth_required: { status: 403, message: 'A recent password or code check is required' },
  account_disabled: { status: 403, message: 'Account disabled' },
  not_found: { status: 404, message: 'Not found' },
  method_not_allowed: { status: 405, message: 'Method not allowed' },
  conflict: { status: 409, message: 'Conflict' },
  payload_too_large: { status: 413, message: 'Request body too large' },
  uri_too_long: { status: 414, message: 'URL too long' },
  unsupported_media_type: { status: 415, message: 'Unsupported media type' },
  rate_limited: { status: 429, message: 'Too many requests' },
  header_too_large: { status: 431, message: 'Request headers too large' },
  internal: { status: 500, message: 'Internal error' },
  bad_gateway: { status: 502, message: 'Bad gateway' },
  unavailable: { status: 503, message: 'Service unavailable' },
  upstream_timeout: { status: 504, message: 'Upstream timed out' }
})
