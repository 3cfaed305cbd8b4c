export { openTestDb, openTestCluster, uniqueName } from './test-db.ts'
export type { TestDb } from './test-db.ts'
export { openTestCache, cacheAdapters } from './test-cache.ts'
export type { TestCache, CacheAdapter } from './test-cache.ts'
