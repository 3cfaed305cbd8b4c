import type { Messages } from '../i18n.tsx'

// Section files keep their own strings in <section>/messages.ts; these are the page's frame.
import { messages as profile } from './profile/messages.ts'
import { messages as preferences } from './preferences/messages.ts'
import { messages as sessions } from './sessions/messages.ts'
import { messages as security } from './two-step/messages.ts'
import { messages as password } from './password/messages.ts'
import { messages as history } from './history/messages.ts'
import { messages as remove } from './delete/messages.ts'

const frame: Messages = {
  en: {
    'account.title': 'Your account',
    'account.nav.label': 'Account sections',
    'account.nav.profile': 'Profile',
    'account.nav.notifications': 'Notifications',
    'account.nav.history': 'Message history',
    'account.nav.sessions': 'Sessions',
    'account.nav.security': 'Two-step login and passkeys',
    'account.nav.password': 'Password',
    'account.nav.delete': 'Delete account'
  },
  de: {
    'account.title': 'Ihr Konto',
    'account.nav.label': 'Kontobereiche',
    'account.nav.profile': 'Profil',
    'account.nav.notifications': 'Benachrichtigungen',
    'account.nav.history': 'Nachrichtenverlauf',
    'account.nav.sessions': 'Sitzungen',
    'account.nav.security': 'Zweistufige Anmeldung und Passkeys',
    'account.nav.password': 'Passwort',
    'account.nav.delete': 'Konto löschen'
  }
}

const parts = [frame, profile, preferences, sessions, security, password, history, remove]
export const messages: Messages = {
  en: Object.assign({}, ...parts.map(p => p.en)),
  de: Object.assign({}, ...parts.map(p => p.de))
}
