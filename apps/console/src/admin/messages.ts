import type { Messages } from '../i18n.tsx'

// Each page keeps its own strings in <page>/messages.ts; these are the console's frame.
import { messages as users } from './users/messages.ts'
import { messages as audit } from './audit/messages.ts'
import { messages as orders } from './orders/messages.ts'
import { messages as deliveries } from './deliveries/messages.ts'
import { messages as health } from './health/messages.ts'

const frame: Messages = {
  en: {
    'admin.title': 'Admin console',
    'admin.nav.label': 'Admin sections',
    'admin.nav.users': 'Users',
    'admin.nav.audit': 'Audit log',
    'admin.nav.deliveries': 'Deliveries',
    'admin.nav.orders': 'Orders',
    'admin.nav.health': 'Health'
  },
  de: {
    'admin.title': 'Verwaltung',
    'admin.nav.label': 'Verwaltungsbereiche',
    'admin.nav.users': 'Benutzer',
    'admin.nav.audit': 'Audit-Protokoll',
    'admin.nav.deliveries': 'Zustellungen',
    'admin.nav.orders': 'Bestellungen',
    'admin.nav.health': 'Zustand'
  }
}

const parts = [frame, users, audit, orders, deliveries, health]
export const messages: Messages = {
  en: Object.assign({}, ...parts.map(p => p.en)),
  de: Object.assign({}, ...parts.map(p => p.de))
}
