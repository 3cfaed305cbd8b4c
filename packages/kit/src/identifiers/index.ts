export { normalizeEmail, emailLimitKey, hasHiddenCharacters } from './email.ts'
