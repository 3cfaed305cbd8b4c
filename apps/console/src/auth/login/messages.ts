import type { Messages } from '../../i18n.tsx'

export const messages: Messages = {
  en: {},
  de: {}
}
