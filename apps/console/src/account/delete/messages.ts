import type { Messages } from '../../i18n.tsx'

export const messages: Messages = {
  en: {
    'account.delete.what': 'Deleting your account',
    'account.delete.item.profile': 'erases your profile, contact details and preferences;',
    'account.delete.item.sessions': 'signs you out on every device;',
    'account.delete.item.messages': 'erases your message history and your personal data in every part of the service;',
    'account.delete.item.audit': 'keeps only a record that an account existed and was deleted, without your details.',
    'account.delete.final': 'This cannot be undone.',
    'account.delete.password': 'Your password',
    'account.delete.code': 'Code',
    'account.delete.sentSms': 'We sent a code by text message to your phone.',
    'account.delete.sentEmail': 'We sent a code to your email address.',
    'account.delete.submit': 'Delete my account…',
    'account.delete.wrongPassword': 'That is not your password.',
    'account.delete.wrongCode': 'That code is not right, or it has expired.',
    'account.delete.confirmTitle': 'Delete your account for good?',
    'account.delete.confirmText': 'Your account and your personal data are erased now. You cannot sign in again or get them back.',
    'account.delete.confirm': 'Yes, delete my account',
    'account.delete.keep': 'Keep my account'
  },
  de: {
    'account.delete.what': 'Wenn Sie Ihr Konto löschen, werden',
    'account.delete.item.profile': 'Ihr Profil, Ihre Kontaktdaten und Einstellungen gelöscht;',
    'account.delete.item.sessions': 'Sie auf allen Geräten abgemeldet;',
    'account.delete.item.messages': 'Ihr Nachrichtenverlauf und Ihre personenbezogenen Daten in allen Teilen des Dienstes gelöscht;',
    'account.delete.item.audit': 'nur ein Vermerk behalten, dass ein Konto bestand und gelöscht wurde, ohne Ihre Daten.',
    'account.delete.final': 'Das kann nicht rückgängig gemacht werden.',
    'account.delete.password': 'Ihr Passwort',
    'account.delete.code': 'Code',
    'account.delete.sentSms': 'Wir haben Ihnen einen Code per SMS gesendet.',
    'account.delete.sentEmail': 'Wir haben einen Code an Ihre E-Mail-Adresse gesendet.',
    'account.delete.submit': 'Mein Konto löschen…',
    'account.delete.wrongPassword': 'Das ist nicht Ihr Passwort.',
    'account.delete.wrongCode': 'Dieser Code stimmt nicht oder ist abgelaufen.',
    'account.delete.confirmTitle': 'Konto endgültig löschen?',
    'account.delete.confirmText': 'Ihr Konto und Ihre personenbezogenen Daten werden jetzt gelöscht. Sie können sich nicht mehr anmelden und sie nicht wiederherstellen.',
    'account.delete.confirm': 'Ja, mein Konto löschen',
    'account.delete.keep': 'Konto behalten'
  }
}
