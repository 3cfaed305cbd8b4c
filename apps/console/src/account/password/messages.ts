import type { Messages } from '../../i18n.tsx'

export const messages: Messages = {
  en: {
    'account.password.intro': 'After the change, every other device signed in to your account is signed out. This one stays signed in.',
    'account.password.current': 'Current password',
    'account.password.new': 'New password',
    'account.password.hint': 'At least {min} characters. Long phrases are strong; common passwords are refused.',
    'account.password.tooShort': 'Use at least {min} characters',
    'account.password.same': 'Choose a password different from the current one',
    'account.password.wrongCurrent': 'That is not your current password.',
    'account.password.common': 'This is one of the 10,000 most common passwords. Choose another: a phrase of a few words is easy to remember and hard to guess.',
    'account.password.submit': 'Change password',
    'account.password.changed': 'Your password is changed. Every other device was signed out.',
    'account.password.forgot': 'Forgot your current password?',
    'account.password.forgotLink': 'Reset it by email or text message'
  },
  de: {
    'account.password.intro': 'Nach der Änderung werden alle anderen Geräte, die bei Ihrem Konto angemeldet sind, abgemeldet. Dieses bleibt angemeldet.',
    'account.password.current': 'Aktuelles Passwort',
    'account.password.new': 'Neues Passwort',
    'account.password.hint': 'Mindestens {min} Zeichen. Lange Sätze sind sicher; häufige Passwörter werden abgelehnt.',
    'account.password.tooShort': 'Verwenden Sie mindestens {min} Zeichen',
    'account.password.same': 'Wählen Sie ein anderes Passwort als das aktuelle',
    'account.password.wrongCurrent': 'Das ist nicht Ihr aktuelles Passwort.',
    'account.password.common': 'Dies ist eines der 10.000 häufigsten Passwörter. Wählen Sie ein anderes: Ein Satz aus ein paar Wörtern ist leicht zu merken und schwer zu erraten.',
    'account.password.submit': 'Passwort ändern',
    'account.password.changed': 'Ihr Passwort ist geändert. Alle anderen Geräte wurden abgemeldet.',
    'account.password.forgot': 'Aktuelles Passwort vergessen?',
    'account.password.forgotLink': 'Per E-Mail oder SMS zurücksetzen'
  }
}
