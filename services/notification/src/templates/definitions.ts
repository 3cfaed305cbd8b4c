import type { Channel } from '../providers/provider.ts'
import { accountDeletedView, newDeviceLoginView } from './security-views.ts'
import { linkView, loginAlertView, orderView, otpView, passwordChangedView, profileChangedView } from './views.ts'
import type { Variables, ViewContext } from './views.ts'
import type { View } from './render.ts'

export interface TemplateDefinition {
  /** Variables a sender must give. */
  requires: string[]
  /** Variables a sender must give on one channel only. */
  requiresOn?: Partial<Record<Channel, string[]>>
  /**
   * A security message: sent to every verified address whatever the
   * preferences, and never carrying a code or a token (only the undo link
   * of an email change, to the old address). test/templates.test.ts checks it.
   */
  security?: true
  /** Values derived from the variables for the locale (formatted money, durations, words). */
  view?: (vars: Variables, ctx: ViewContext) => View
}

/** Every message this service sends from template files (`templates/<locale>/<name>.<email|sms>.*`). */
export const TEMPLATE_DEFINITIONS: Record<string, TemplateDefinition> = {
  otp_code: { requires: ['code', 'expiresInMinutes'], view: otpView },
  password_reset_link: { requires: ['link', 'expiresInMinutes'], view: linkView },
  email_verification_link: { requires: ['link', 'expiresInMinutes'], view: linkView },
  magic_link: { requires: ['link', 'expiresInMinutes'], view: linkView },
  password_changed: { requires: [], view: passwordChangedView, security: true },
  new_device_login: { requires: ['at'], view: newDeviceLoginView, security: true },
  email_change_requested: { requires: ['newEmail'], requiresOn: { email: ['undoLink'] }, security: true },
  phone_changed: { requires: [], security: true },
  account_disabled: { requires: [], security: true },
  account_deleted: { requires: [], view: accountDeletedView, security: true },
  passkey_added: { requires: [], security: true },
  passkey_removed: { requires: [], security: true },
  identity_linked: { requires: [], security: true },
  welcome: { requires: [] },
  profile_changed: { requires: ['changes'], view: profileChangedView },
  login_alert: { requires: [], view: loginAlertView },
  order_confirmation: { requires: ['orderId', 'items', 'total', 'currency'], view: orderView }
}

/** Raw subject and text given by the caller of send-email / send-sms, not a template file. */
export const CUSTOM_TEMPLATE = 'custom'
