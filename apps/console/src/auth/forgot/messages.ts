import type { Messages } from '../../i18n.tsx'

export const messages: Messages = {
  en: {
    'auth.forgot.title': 'Forgot your password?',
    'auth.forgot.lead': 'Tell us the email address or phone number of your account, and we send you a way to choose a new password.',
    'auth.forgot.channel': 'My account uses',
    'auth.forgot.method': 'Send me',
    'auth.forgot.link': 'A link',
    'auth.forgot.code': 'A 6-digit code',
    'auth.forgot.submit': 'Send',
    'auth.forgot.sentTitleEmail': 'Check your inbox',
    'auth.forgot.sentTitlePhone': 'Check your phone',
    'auth.forgot.sentLink': 'If an account belongs to {address}, we sent it a link to choose a new password. The link works for 30 minutes.',
    'auth.forgot.sentCode': 'If an account belongs to {address}, we sent it a 6-digit code. Enter it on the next page with your new password.',
    'auth.forgot.nothing': 'Nothing arrived? Check the address, look in your spam folder, or send it again in a minute.',
    'auth.forgot.enterCode': 'Enter the code',
    'auth.forgot.again': 'Send again',
    'auth.forgot.sentAgain': 'Sent again.',
    'auth.forgot.other': 'Use a different address',
    'auth.forgot.haveCode': 'Already have a code?',
    'auth.forgot.enterItHere': 'Enter it here'
  },
  de: {
    'auth.forgot.title': 'Passwort vergessen?',
    'auth.forgot.lead': 'Nennen Sie uns die E-Mail-Adresse oder Telefonnummer Ihres Kontos. Wir senden Ihnen einen Weg, ein neues Passwort zu wählen.',
    'auth.forgot.channel': 'Mein Konto nutzt',
    'auth.forgot.method': 'Senden Sie mir',
    'auth.forgot.link': 'Einen Link',
    'auth.forgot.code': 'Einen 6-stelligen Code',
    'auth.forgot.submit': 'Senden',
    'auth.forgot.sentTitleEmail': 'Sehen Sie in Ihr Postfach',
    'auth.forgot.sentTitlePhone': 'Sehen Sie auf Ihr Telefon',
    'auth.forgot.sentLink': 'Falls ein Konto zu {address} gehört, haben wir ihm einen Link für ein neues Passwort gesendet. Der Link gilt 30 Minuten.',
    'auth.forgot.sentCode': 'Falls ein Konto zu {address} gehört, haben wir ihm einen 6-stelligen Code gesendet. Geben Sie ihn auf der nächsten Seite mit Ihrem neuen Passwort ein.',
    'auth.forgot.nothing': 'Nichts angekommen? Prüfen Sie die Adresse, sehen Sie im Spam-Ordner nach oder senden Sie es in einer Minute erneut.',
    'auth.forgot.enterCode': 'Code eingeben',
    'auth.forgot.again': 'Erneut senden',
    'auth.forgot.sentAgain': 'Erneut gesendet.',
    'auth.forgot.other': 'Andere Adresse verwenden',
    'auth.forgot.haveCode': 'Sie haben schon einen Code?',
    'auth.forgot.enterItHere': 'Hier eingeben'
  }
}
