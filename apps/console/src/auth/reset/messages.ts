import type { Messages } from '../../i18n.tsx'

export const messages: Messages = {
  en: {
    'auth.reset.title': 'Choose a new password',
    'auth.reset.leadLink': 'Choose a new password for your account. Every device signed in to it will be signed out.',
    'auth.reset.leadCode': 'Enter the code we sent you and choose a new password. Every device signed in to your account will be signed out.',
    'auth.reset.channel': 'The code went to my',
    'auth.reset.newPassword': 'New password',
    'auth.reset.submit': 'Set new password',
    'auth.reset.noCode': 'No code yet?',
    'auth.reset.askCode': 'Ask for one',
    'auth.reset.deadTitle': 'This link no longer works',
    'auth.reset.deadText': 'Reset links work once, for 30 minutes, and only the newest one counts. Ask for a new link and use it soon.',
    'auth.reset.askLink': 'Ask for a new link',
    'auth.reset.doneTitle': 'Password changed',
    'auth.reset.doneText': 'Your password is changed. Sign in with the new one.'
  },
  de: {
    'auth.reset.title': 'Neues Passwort wählen',
    'auth.reset.leadLink': 'Wählen Sie ein neues Passwort für Ihr Konto. Alle angemeldeten Geräte werden abgemeldet.',
    'auth.reset.leadCode': 'Geben Sie den Code ein, den wir Ihnen gesendet haben, und wählen Sie ein neues Passwort. Alle angemeldeten Geräte werden abgemeldet.',
    'auth.reset.channel': 'Der Code ging an meine',
    'auth.reset.newPassword': 'Neues Passwort',
    'auth.reset.submit': 'Neues Passwort speichern',
    'auth.reset.noCode': 'Noch keinen Code?',
    'auth.reset.askCode': 'Einen anfordern',
    'auth.reset.deadTitle': 'Dieser Link funktioniert nicht mehr',
    'auth.reset.deadText': 'Links zum Zurücksetzen gelten einmal und 30 Minuten lang, und nur der neueste zählt. Fordern Sie einen neuen Link an und verwenden Sie ihn bald.',
    'auth.reset.askLink': 'Neuen Link anfordern',
    'auth.reset.doneTitle': 'Passwort geändert',
    'auth.reset.doneText': 'Ihr Passwort ist geändert. Melden Sie sich mit dem neuen an.'
  }
}
