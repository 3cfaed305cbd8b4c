import { KitErrors } from '@app/kit/errors'

/** SMS_ENABLED=false: a way in that needs a code by SMS is refused up front, naming the field that asked for it. */
export const smsUnavailable = (path: string, instead: string) => KitErrors.sms_unavailable({
  detail: `This deployment sends no SMS: ${instead}`,
  errors: [{ path, message: 'needs SMS, which is turned off here' }]
})
