import type { Messages } from '../../i18n.tsx'

export const messages: Messages = {
  en: {
    'account.sessions.intro': 'The browsers and apps signed in to your account. End any you do not recognise, then change your password.',
    'account.sessions.listLabel': 'Signed-in devices',
    'account.sessions.browserOn': '{browser} on {system}',
    'account.sessions.unknownDevice': 'Unknown device',
    'account.sessions.current': 'This device',
    'account.sessions.ip': 'IP {ip}',
    'account.sessions.since': 'Signed in {date}',
    'account.sessions.lastUsed': 'Last active {date}',
    'account.sessions.end': 'End session',
    'account.sessions.endNamed': 'End session: {name}',
    'account.sessions.endOthers': 'End all other sessions ({count})',
    'account.sessions.othersHint': 'Ending a session signs that device out within seconds.',
    'account.sessions.onlyThis': 'You are signed in on this device only.',
    'account.sessions.endedOne': 'The session is ended: that device is signed out.',
    'account.sessions.endedMany': '{count} sessions are ended: those devices are signed out.'
  },
  de: {
    'account.sessions.intro': 'Die Browser und Apps, die bei Ihrem Konto angemeldet sind. Beenden Sie alle, die Sie nicht kennen, und ändern Sie dann Ihr Passwort.',
    'account.sessions.listLabel': 'Angemeldete Geräte',
    'account.sessions.browserOn': '{browser} unter {system}',
    'account.sessions.unknownDevice': 'Unbekanntes Gerät',
    'account.sessions.current': 'Dieses Gerät',
    'account.sessions.ip': 'IP {ip}',
    'account.sessions.since': 'Angemeldet am {date}',
    'account.sessions.lastUsed': 'Zuletzt aktiv am {date}',
    'account.sessions.end': 'Sitzung beenden',
    'account.sessions.endNamed': 'Sitzung beenden: {name}',
    'account.sessions.endOthers': 'Alle anderen Sitzungen beenden ({count})',
    'account.sessions.othersHint': 'Beim Beenden einer Sitzung wird das Gerät innerhalb von Sekunden abgemeldet.',
    'account.sessions.onlyThis': 'Sie sind nur auf diesem Gerät angemeldet.',
    'account.sessions.endedOne': 'Die Sitzung ist beendet: Das Gerät ist abgemeldet.',
    'account.sessions.endedMany': '{count} Sitzungen sind beendet: Diese Geräte sind abgemeldet.'
  }
}
