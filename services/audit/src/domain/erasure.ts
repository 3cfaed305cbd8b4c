/**
 * What the trail does when a user is deleted (`user.deleted`): the entry of
 * the deletion stays as the tombstone, without the personal data the event
 * carries (addresses, locale); every other entry about the user is erased.
 */
export const USER_DELETED = 'user.deleted'
/** The trail's own entry saying an erasure happened, and how many entries it erased. */
export const ERASURE_RECORDED = 'audit.personal_data_erased'

/** What the tombstone keeps of a user.deleted payload. */
const TOMBSTONE_FIELDS = ['userId', 'deletedBy']

export interface UserDeletion {
  userId: string
  email: string | null
  phone: string | null
  /** The user.deleted event, kept as the tombstone. */
  eventId: string
}

interface Input { id: string, type: string, subject?: string | null | undefined, data: unknown }

const text = (value: unknown): string | null => typeof value === 'string' && value.length > 0 ? value : null
const record = (value: unknown): Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value) ? value as Record<string, unknown> : {}

/** The user ids an event is about: its subject, and the `userId` of its data. */
export function aboutUsers (input: Input): string[] {
  return [text(input.subject), text(record(input.data).userId)].filter((id): id is string => id !== null)
}

/** The data the trail stores of an (already redacted) event: a user.deleted payload loses its personal members. */
export function storedData (type: string, data: unknown): unknown {
  if (type !== USER_DELETED) return data
  const fields = record(data)
  return Object.fromEntries(TOMBSTONE_FIELDS.filter(name => fields[name] !== undefined).map(name => [name, fields[name]]))
}

/** The deletion a user.deleted event asks for, from its raw payload; undefined for any other event, or one that names no user. */
export function userDeletion (input: Input): UserDeletion | undefined {
  if (input.type !== USER_DELETED) return undefined
  const data = record(input.data)
  const userId = text(data.userId) ?? text(input.subject)
  return userId === null ? undefined : { userId, email: text(data.email), phone: text(data.phone), eventId: input.id }
}
