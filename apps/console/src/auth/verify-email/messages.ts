import type { Messages } from '../../i18n.tsx'

export const messages: Messages = {
  en: {
    'auth.verifyEmail.title': 'Confirm your email address',
    'auth.verifyEmail.lead': 'Press the button to confirm that this email address is yours.',
    'auth.verifyEmail.why': 'We ask you to press it so that a mail scanner opening the link cannot confirm the address for you.',
    'auth.verifyEmail.confirm': 'Confirm my email address',
    'auth.verifyEmail.noToken': 'Open the link in the email we sent you to confirm your address.',
    'auth.verifyEmail.doneTitle': 'Email address confirmed',
    'auth.verifyEmail.doneText': '{email} is now confirmed.',
    'auth.verifyEmail.toAccount': 'Go to your account',
    'auth.verifyEmail.deadTitle': 'This link no longer works',
    'auth.verifyEmail.deadText': 'The link is not valid any more: it has expired (links work for 24 hours), was already used, or a newer link was sent since. If you confirmed your address already, there is nothing more to do.',
    'auth.verifyEmail.changedTitle': 'This address is no longer on the account',
    'auth.verifyEmail.changedText': 'The link was sent to an email address the account no longer has. Use the link sent to the current address, or ask for a new one below.',
    'auth.verifyEmail.resendTitle': 'Get a new link',
    'auth.verifyEmail.resendSubmit': 'Send a new link',
    'auth.verifyEmail.resent': 'If this address belongs to an account and is not confirmed yet, a new link is on its way. It works for 24 hours.'
  },
  de: {
    'auth.verifyEmail.title': 'E-Mail-Adresse bestätigen',
    'auth.verifyEmail.lead': 'Drücken Sie die Schaltfläche, um zu bestätigen, dass diese E-Mail-Adresse Ihnen gehört.',
    'auth.verifyEmail.why': 'Wir bitten Sie darum, damit ein Mail-Scanner, der den Link öffnet, die Adresse nicht an Ihrer Stelle bestätigt.',
    'auth.verifyEmail.confirm': 'Meine E-Mail-Adresse bestätigen',
    'auth.verifyEmail.noToken': 'Öffnen Sie den Link in der E-Mail, die wir Ihnen gesendet haben, um Ihre Adresse zu bestätigen.',
    'auth.verifyEmail.doneTitle': 'E-Mail-Adresse bestätigt',
    'auth.verifyEmail.doneText': '{email} ist jetzt bestätigt.',
    'auth.verifyEmail.toAccount': 'Zu Ihrem Konto',
    'auth.verifyEmail.deadTitle': 'Dieser Link funktioniert nicht mehr',
    'auth.verifyEmail.deadText': 'Der Link gilt nicht mehr: Er ist abgelaufen (Links gelten 24 Stunden), wurde schon verwendet, oder seitdem wurde ein neuerer Link gesendet. Falls Sie Ihre Adresse schon bestätigt haben, ist nichts weiter zu tun.',
    'auth.verifyEmail.changedTitle': 'Diese Adresse gehört nicht mehr zum Konto',
    'auth.verifyEmail.changedText': 'Der Link wurde an eine E-Mail-Adresse gesendet, die das Konto nicht mehr hat. Verwenden Sie den Link an die aktuelle Adresse oder fordern Sie unten einen neuen an.',
    'auth.verifyEmail.resendTitle': 'Neuen Link anfordern',
    'auth.verifyEmail.resendSubmit': 'Neuen Link senden',
    'auth.verifyEmail.resent': 'Falls diese Adresse zu einem Konto gehört und noch nicht bestätigt ist, ist ein neuer Link unterwegs. Er gilt 24 Stunden.'
  }
}
