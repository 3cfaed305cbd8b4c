/** One cookie as a browser keeps it: per host (ports share cookies, as in browsers) and path. */
interface Cookie { host: string, path: string, name: string, value: string }

export interface BrowserStop {
  /** The URL the browser was about to open (not fetched). */
  url: URL
}

export interface BrowserOptions {
  /** Host names and the origins that serve them (`gatehouse.test` -> the gateway's address): a tiny /etc/hosts. */
  hosts?: Record<string, string>
}

/**
 * A browser reduced to what redirect-based sign-ins need: it follows
 * redirects, keeps cookies (path and Max-Age=0 honoured), and stops before
 * opening a URL the test names (the app's return address).
 */
export function createBrowser (options: BrowserOptions = {}) {
  let cookies: Cookie[] = []

  const resolve = (url: URL): URL => {
    const origin = options.hosts?.[url.host]
    return origin ? new URL(`${url.pathname}${url.search}`, origin) : url
  }

  function remember (url: URL, header: string): void {
    const [pair, ...attributes] = header.split(';').map(s => s.trim())
    const eq = pair!.indexOf('=')
    const name = pair!.slice(0, eq)
    const value = pair!.slice(eq + 1)
    const path = attributes.find(a => a.toLowerCase().startsWith('path='))?.slice(5) ?? '/'
    const expired = attributes.some(a => a.toLowerCase() === 'max-age=0')
    cookies = cookies.filter(c => !(c.host === url.hostname && c.path === path && c.name === name))
    if (!expired) cookies.push({ host: url.hostname, path, name, value })
  }

  function cookieHeader (url: URL): string | undefined {
    const matching = cookies.filter(c => c.host === url.hostname && (url.pathname === c.path || url.pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`)))
    return matching.length > 0 ? matching.map(c => `${c.name}=${c.value}`).join('; ') : undefined
  }

  async function open (url: URL): Promise<Response> {
    const cookie = cookieHeader(url)
    const res = await fetch(resolve(url), { redirect: 'manual', headers: { accept: 'text/html', ...(cookie ? { cookie } : {}) } })
    for (const header of res.headers.getSetCookie()) remember(url, header)
    return res
  }

  return {
    open: (url: string) => open(new URL(url)),

    /**
     * Opens `url` and follows redirects until the next URL satisfies `until`
     * (returned unopened), or a response is not a redirect (thrown, with its body).
     */
    async follow (url: string, until: (next: URL) => boolean): Promise<BrowserStop> {
      let next = new URL(url)
      for (let hop = 0; hop < 20; hop++) {
        if (until(next)) return { url: next }
        const res = await open(next)
        const location = res.headers.get('location')
        if (res.status < 300 || res.status >= 400 || !location) {
          throw new Error(`browser: ${next.href} answered ${res.status} without a redirect: ${(await res.text()).slice(0, 500)}`)
        }
        await res.body?.cancel()
        next = new URL(location, next)
      }
      throw new Error('browser: too many redirects')
    },

    /** Forgets every cookie: another browser. */
    clearCookies (): void { cookies = [] }
  }
}

export type Browser = ReturnType<typeof createBrowser>
