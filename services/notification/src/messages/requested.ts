import type { DeliveryRequest } from '@app/contracts/delivery'
import type { OutgoingMessage } from '../dev-inbox-store.ts'

type Variables = Record<string, string>
type Render = (vars: Variables, appName: string) => { subject: string, text: string, sms: string }

/**
 * Messages other services ask for by name. Issue 5 moves these to template
 * files with locales; until then each is a small function.
 */
const PURPOSE_TEXT: Record<string, string> = {
  verification: 'verification code',
  login: 'login code',
  password_reset: 'password reset code',
  mfa: 'sign-in confirmation code'
}

/** `1440` -> `24 hours`, `90` -> `90 minutes`. */
function duration (minutes: number): string {
  if (minutes >= 60 && minutes % 60 === 0) return minutes === 60 ? '1 hour' : `${minutes / 60} hours`
  return `${minutes} minutes`
}

const TEMPLATES: Record<string, Render> = {
  otp_code: (vars, appName) => {
    const what = PURPOSE_TEXT[vars.purpose ?? ''] ?? 'code'
    return {
      subject: `Your ${appName} ${what}: ${vars.code}`,
      text: `Your ${appName} ${what} is ${vars.code}\n\nIt expires in ${vars.expiresInMinutes} minutes. Never share it: ${appName} will never ask you for it.\nIf you did not ask for it, ignore this message.\n`,
      sms: `${vars.code} is your ${appName} ${what}. It expires in ${vars.expiresInMinutes} min. Never share it.`
    }
  },
  password_reset_link: (vars, appName) => ({
    subject: `Reset your ${appName} password`,
    text: `Someone asked to reset the password of your ${appName} account.\n\nTo choose a new password, open this link within ${vars.expiresInMinutes} minutes:\n${vars.link}\n\nIf it was not you, ignore this message: your password stays the same.\n`,
    sms: `${appName}: reset your password within ${vars.expiresInMinutes} min: ${vars.link} . Not you? Ignore this.`
  }),
  email_verification_link: (vars, appName) => {
    const validFor = duration(Number(vars.expiresInMinutes))
    return {
      subject: `Confirm your email for ${appName}`,
      text: `Please confirm that this email address belongs to your ${appName} account.\n\nTo confirm it, open this link within ${validFor}:\n${vars.link}\n\nIf you did not create an account or change your email, ignore this message.\n`,
      sms: `${appName}: confirm your email within ${validFor}: ${vars.link}`
    }
  }
}

/** The message for a delivery request, or undefined for a template this service does not know. */
export function renderRequested (request: DeliveryRequest, secrets: Variables, appName: string): OutgoingMessage | undefined {
  const render = TEMPLATES[request.template]
  if (!render) return undefined
  const { subject, text, sms } = render({ ...request.variables, ...secrets }, appName)
  return request.channel === 'email'
    ? { channel: 'email', to: request.to, subject, text }
    : { channel: 'sms', to: request.to, text: sms }
}
