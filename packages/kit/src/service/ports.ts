/** Default ports of the all-in-one process; each service's URL can be overridden with `<NAME>_SERVICE_URL`. */
export const SERVICE_PORTS = {
  gateway: 8080,
  user: 8081,
  auth: 8082,
  password: 8083,
  otp: 8084,
  'email-verification': 8085,
  notification: 8086,
  audit: 8087,
  order: 8088
} as const

export type ServiceName = keyof typeof SERVICE_PORTS

export function serviceUrlVariable (name: ServiceName): string {
  return `${name.toUpperCase().replace(/-/g, '_')}_SERVICE_URL`
}

/** Comma-separated URLs of a service's instances from the environment, or its local default. */
export function serviceUrls (name: ServiceName, env: Record<string, string | undefined>): string[] {
  const configured = env[serviceUrlVariable(name)]
  const urls = configured ? configured.split(',').map(u => u.trim()).filter(Boolean) : []
  return urls.length > 0 ? urls : [`http://127.0.0.1:${SERVICE_PORTS[name]}`]
}
