import type { components } from '@app/client'
import { useI18n } from '../../i18n.tsx'

export type User = components['schemas']['User']

/** How a user is named on the page: the name, else the email, else the phone. */
export function userLabel (user: Pick<User, 'name' | 'email' | 'phone' | 'id'>): string {
  return user.name || user.email || user.phone || user.id
}

export function StateBadge ({ user }: { user: Pick<User, 'disabled'> }) {
  const { t } = useI18n()
  return user.disabled
    ? <span className='badge badge-danger'>{t('admin.users.state.disabled')}</span>
    : <span className='badge badge-success'>{t('admin.users.state.active')}</span>
}

export function RoleBadges ({ roles }: { roles: string[] }) {
  const { t } = useI18n()
  return <span className='row'>{roles.map(role => <span key={role} className={`badge${role === 'admin' ? ' badge-info' : ''}`}>{t(`admin.users.role.${role}`)}</span>)}</span>
}
