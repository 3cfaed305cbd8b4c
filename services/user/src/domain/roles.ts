import type { Role } from './user.ts'

export const ROLES: readonly Role[] = ['user', 'admin']

/** The roles in one fixed order, so two sets compare equal whatever order they were given in. */
export function canonicalRoles (roles: readonly Role[]): Role[] {
  return ROLES.filter(role => roles.includes(role))
}

export function sameRoles (a: readonly Role[], b: readonly Role[]): boolean {
  return canonicalRoles(a).join(',') === canonicalRoles(b).join(',')
}
