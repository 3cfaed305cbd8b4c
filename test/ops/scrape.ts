import type { Platform } from '@app/platform'

/** Each service's /metrics text: the gateway's from its operations listener (never its public port). */
export async function scrapeAll (platform: Platform): Promise<Map<string, string>> {
  const texts = new Map<string, string>()
  for (const [name, running] of platform.services) {
    const base = name === 'gateway' ? (running.app as unknown as { opsUrl: string | null }).opsUrl : running.url
    if (!base) throw new Error('the gateway has no operations listener: start it with GATEWAY_OPS_PORT')
    texts.set(name, await scrape(`${base}/metrics`))
  }
  return texts
}

export async function scrape (url: string): Promise<string> {
  const res = await fetch(url)
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}`)
  return res.text()
}
