import type { View } from './render.ts'
import { loginAlertView } from './views.ts'
import type { Variables, ViewContext } from './views.ts'

const str = (value: unknown) => (typeof value === 'string' ? value : '')

/** "Firefox on Windows", "iPhone", or "an unknown device", in the locale's words. */
export const newDeviceLoginView = (vars: Variables, ctx: ViewContext): View => {
  const parts = [str(vars.browser), str(vars.os)].filter(Boolean)
  return {
    ...loginAlertView(vars, ctx),
    device: parts.length > 0 ? parts.join(` ${ctx.strings['device.on'] ?? 'on'} `) : ctx.strings['device.unknown']
  }
}

export const accountDeletedView = (vars: Variables): View => ({ byAdmin: vars.deletedBy === 'admin' })
