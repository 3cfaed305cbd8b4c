import type { Db } from '@app/kit/db'
import type { EventEmitter } from '@app/kit/service'
import { canonicalRoles, sameRoles } from './domain/roles.ts'
import { decodeCursor, encodeCursor } from './domain/user-search.ts'
import type { Role, User } from './domain/user.ts'
import { UserErrors } from './errors.ts'
import { invalid } from './input.ts'
import { emitUserUpdated } from './user-events.ts'
import type { UserStore } from './user-store.ts'

export interface UserListInput {
  query?: string | undefined
  limit?: number | undefined
  cursor?: string | undefined
}

export interface UserPage {
  items: User[]
  /** Pass it back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null
}

export interface AdminServiceDeps {
  db: Db
  store: UserStore
  events: EventEmitter
}

export const DEFAULT_PAGE_SIZE = 20

export function createAdminService ({ db, store, events }: AdminServiceDeps) {
  return {
    async listUsers ({ query, limit = DEFAULT_PAGE_SIZE, cursor }: UserListInput): Promise<UserPage> {
      const before = cursor === undefined ? undefined : decodeCursor(cursor)
      if (cursor !== undefined && !before) invalid([{ path: '/querystring/cursor', message: 'is not a cursor from a previous page' }])
      // One row more than asked tells whether there is a next page without counting.
      const rows = await store.listUsers({ search: query?.trim() || undefined, before, limit: limit + 1 })
      const items = rows.slice(0, limit)
      const last = items.at(-1)
      return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.id) : null }
    },

    /** Replaces a user's roles; `actorId` is the admin doing it, who may not drop their own admin role. */
    async setRoles (actorId: string, id: string, roles: Role[]): Promise<User> {
      if (!roles.includes('user')) invalid([{ path: '/body/roles', message: 'must include "user"' }])
      if (actorId === id && !roles.includes('admin')) {
        throw UserErrors.admin_self_demotion('You cannot remove your own admin role; ask another administrator')
      }
      return db.tx(async (tx) => {
        const current = await store.lockUser(id, tx)
        if (!current) throw UserErrors.user_not_found()
        if (sameRoles(current.roles, roles)) return current
        const user = (await store.updateRoles(id, canonicalRoles(roles), tx))!
        await emitUserUpdated(events, tx, user, ['roles'], { roles: user.roles, previousRoles: current.roles })
        return user
      })
    }
  }
}

export type AdminService = ReturnType<typeof createAdminService>
