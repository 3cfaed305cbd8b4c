import { startTestService } from '@app/kit/testing'
import type { TestBackends } from '@app/kit/testing'
import { userService } from '@app/user'
import { authService } from '../src/service.ts'
import { startCountingProxy } from './counting-proxy.ts'

export type AuthBehindProxy = Awaited<ReturnType<typeof startAuthBehindProxy>>

/**
 * The user service, a counting proxy in front of it, and the auth service
 * (with `authEnv`) calling the user service through that proxy, all on
 * `backends`. `cleanup` stops them in reverse; a start that fails midway
 * stops what had started before it rethrows.
 */
export async function startAuthBehindProxy (backends: TestBackends, authEnv: Record<string, string> = {}) {
  const stops: Array<() => Promise<void>> = []
  const cleanup = async () => { for (const stop of stops.splice(0).reverse()) await stop() }
  try {
    const user = await startTestService(userService, { USER_ARGON2_MEMORY_KIB: '1024', USER_ARGON2_TIME_COST: '1' }, backends)
    stops.push(() => user.cleanup())
    const proxy = await startCountingProxy(user.url)
    stops.push(() => proxy.close())
    const auth = await startTestService(authService, { USER_SERVICE_URL: proxy.url, ...authEnv }, backends)
    stops.push(() => auth.cleanup())
    return { user, proxy, auth, cleanup }
  } catch (err) {
    await cleanup().catch(() => {})
    throw err
  }
}
