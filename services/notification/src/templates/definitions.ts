import { linkView, loginAlertView, orderView, otpView, passwordChangedView, profileChangedView } from './views.ts'
import type { Variables, ViewContext } from './views.ts'
import type { View } from './render.ts'

export interface TemplateDefinition {
  /** Variables a sender must give. */
  requires: string[]
  /** Values derived from the variables for the locale (formatted money, durations, words). */
  view?: (vars: Variables, ctx: ViewContext) => View
}

/** Every message this service sends from template files (`templates/<locale>/<name>.<email|sms>.*`). */
export const TEMPLATE_DEFINITIONS: Record<string, TemplateDefinition> = {
  otp_code: { requires: ['code', 'expiresInMinutes'], view: otpView },
  password_reset_link: { requires: ['link', 'expiresInMinutes'], view: linkView },
  email_verification_link: { requires: ['link', 'expiresInMinutes'], view: linkView },
  password_changed: { requires: [], view: passwordChangedView },
  welcome: { requires: [] },
  profile_changed: { requires: ['changes'], view: profileChangedView },
  login_alert: { requires: [], view: loginAlertView },
  order_confirmation: { requires: ['orderId', 'items', 'total', 'currency'], view: orderView }
}

/** Raw subject and text given by the caller of send-email / send-sms, not a template file. */
export const CUSTOM_TEMPLATE = 'custom'
