import type { Brokers } from '../brokers.ts'

export interface GatehouseEnvOptions {
  databaseUrl: string
  brokers: Brokers
  /** Schemas, cache keys and queues of this deployment start with it. */
  prefix: string
  serviceSecret: string
  /** Connections this deployment may hold (the private cluster has room for 80 each). */
  connectionBudget: number
  /** A temporary folder (the bench removes it): runs must not write into the developer's ./data. */
  dataDir: string
}

/** The environment of one Gatehouse deployment under the bench: production-like, limits out of the way of one client. */
export function gatehouseEnv (o: GatehouseEnvOptions): Record<string, string> {
  return {
    ...process.env as Record<string, string>,
    LOG_LEVEL: 'warn',
    DATABASE_URL: o.databaseUrl,
    ...(o.brokers.redisUrl ? { REDIS_URL: o.brokers.redisUrl } : {}),
    ...(o.brokers.amqpUrl ? { AMQP_URL: o.brokers.amqpUrl } : {}),
    DB_SCHEMA_PREFIX: `${o.prefix}_`,
    CACHE_PREFIX: `${o.prefix}:`,
    BUS_PREFIX: `${o.prefix}.`,
    DB_CONNECTION_BUDGET: String(o.connectionBudget),
    // The load comes from one IP: the gateway's per-IP limits would otherwise answer 429 after a few requests.
    GATEWAY_RATE_LIMIT_PER_MINUTE: '1000000',
    GATEWAY_SENSITIVE_RATE_LIMIT_PER_MINUTE: '1000000',
    GATEWAY_USER_RATE_LIMIT_PER_MINUTE: '1000000',
    // One client sends every code: the per-IP and global OTP ceilings are not what is measured.
    OTP_MAX_SENDS_PER_IP_HOUR: '100000',
    OTP_MAX_SENDS_PER_MINUTE: '1000000',
    // Nor are the SMS-pumping defences: the bench sends codes to a run of consecutive numbers, which they would refuse.
    OTP_FRAUD_PREFIX_MAX_SENDS: '1000000',
    OTP_FRAUD_IP_MAX_DESTINATIONS: '100000',
    OTP_FRAUD_CONVERSION_MIN_SENDS: '1000000',
    // Codes and confirmations land in the dev inbox, where the bench reads them.
    NOTIFY_DEV_INBOX: 'on',
    // Known, so the bench can mark its buyer's email verified (confirmations go to verified addresses).
    SERVICE_SECRET: o.serviceSecret,
    DATA_DIR: o.dataDir
  }
}
