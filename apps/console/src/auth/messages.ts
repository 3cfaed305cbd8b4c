import type { Messages } from '../i18n.tsx'
import { messages as login } from './login/messages.ts'
import { messages as signup } from './signup/messages.ts'
import { messages as forgot } from './forgot/messages.ts'
import { messages as reset } from './reset/messages.ts'
import { messages as verifyEmail } from './verify-email/messages.ts'

const parts = [login, signup, forgot, reset, verifyEmail]
export const messages: Messages = {
  en: Object.assign({}, ...parts.map(p => p.en)),
  de: Object.assign({}, ...parts.map(p => p.de))
}
