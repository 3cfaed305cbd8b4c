import { Type } from '@sinclair/typebox'
import type { Static } from '@sinclair/typebox'

const Bool = (description: string, value: boolean) => Type.Boolean({ default: value, description })
const Int = (description: string, value: number, minimum = 0, maximum = Number.MAX_SAFE_INTEGER) =>
  Type.Integer({ default: value, minimum, maximum, description })

const Keyring = (description: string) => Type.Optional(Type.String({
  minLength: 1,
  description: `${description}: comma-separated kid:secret[:acceptUntilISO] entries, the first current (docs/security.md)`
}))

/** Settings every service shares. Names follow convention; units are in the name. */
export const BaseConfigSchema = Type.Object({
  NODE_ENV: Type.Union([Type.Literal('development'), Type.Literal('production'), Type.Literal('test')], { default: 'development' }),
  HOST: Type.String({ default: '127.0.0.1', description: 'interface to listen on (0.0.0.0 in containers)' }),
  PORT: Int('TCP port of this service (0 picks a free one)', 0, 0, 65535),
  LOG_LEVEL: Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map(l => Type.Literal(l)), { default: 'info' }),
  LOG_PRETTY: Type.Optional(Type.Boolean({ description: 'readable log lines (pino-pretty) instead of JSON; unset: readable when stdout is a terminal; always JSON in production' })),
  PUBLIC_URL: Type.Optional(Type.String({ pattern: '^https?://', description: 'where people reach the gateway (https://id.example.com); the root of a host, no path; every link in mails and redirects defaults to it; unset: http://localhost:<gateway port>' })),
  DATABASE_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://', description: 'a postgres:// URL; unset selects embedded PGlite' })),
  DB_SCHEMA_PREFIX: Type.String({ default: '', pattern: '^[a-z0-9_]*$', description: 'lower-case letters, digits and _ prepended to every service schema name' }),
  DB_POOL_SIZE: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, description: 'PostgreSQL connections per service instance; unset: a share of DB_CONNECTION_BUDGET' })),
  DB_CONNECTION_BUDGET: Int('PostgreSQL connections the whole deployment may hold', 80, 1, 100_000),
  SERVICE_INSTANCES: Int('instances of this service that run at once, rolling-update surge included', 1, 1, 10_000),
  DB_PGBOUNCER: Bool('connect through PgBouncer in transaction mode: no startup options, no session state', false),
  DATA_DIR: Type.String({ default: './data', description: 'where embedded PGlite keeps its files' }),
  REDIS_URL: Type.Optional(Type.String({ pattern: '^rediss?://', description: 'a redis:// URL; unset selects the in-memory cache' })),
  CACHE_PREFIX: Type.String({ default: '', description: 'prefix for every cache key' }),
  AMQP_URL: Type.Optional(Type.String({ pattern: '^amqps?://', description: 'an amqp:// URL; unset selects the in-process bus' })),
  BUS_PREFIX: Type.String({ default: '', pattern: '^[a-zA-Z0-9_.-]*$', description: 'prefix for exchange and queue names' }),
  BUS_PREFETCH: Int('messages a consumer handles at once', 20, 1, 1000),
  BUS_MAX_ATTEMPTS: Int('deliveries of a message before it is dead-lettered', 5, 1, 50),
  BUS_RETRY_BASE_MS: Int('first retry delay; doubles on each attempt', 1000, 1, 3_600_000),
  BUS_EPHEMERAL: Type.Boolean({ default: false, description: 'delete the queues and exchanges this process declared when it stops (test runs, preview deployments)' }),
  OUTBOX_POLL_MS: Int('how often the outbox relay looks for unsent events', 500, 10, 60_000),
  OUTBOX_SENT_RETENTION_HOURS: Int('hours a published outbox row is kept', 24, 0, 87_600),
  OUTBOX_ABANDONED_RETENTION_HOURS: Int('hours an outbox row the relay gave up on is kept, from when it was written', 720, 0, 87_600),
  PROCESSED_EVENTS_RETENTION_HOURS: Int('hours a consumer remembers an event it processed; must outlive broker redeliveries and dead-letter replays', 168, 1, 87_600),
  RETENTION_INTERVAL_MS: Int('how often the retention job removes rows past their retention', 60_000, 1000, 86_400_000),
  RETENTION_BATCH_SIZE: Int('rows the retention job removes per statement', 500, 1, 100_000),
  REQUIRE_EXTERNAL_BACKENDS: Bool('refuse to start without DATABASE_URL, REDIS_URL and AMQP_URL', false),
  SMS_ENABLED: Bool('send SMS; false for an email-only deployment: no SMS provider is needed, and codes to phone numbers are refused with 400 sms_unavailable', true),
  GRPC_PORT: Type.Optional(Type.Integer({ minimum: 0, maximum: 65_535, description: 'a cleartext HTTP/2 port for gRPC clients of the services that serve RPC (auth, otp); 0 picks a free one; unset: none' })),
  SERVICE_SECRET: Type.Optional(Type.String({ minLength: 32, description: 'development and tests only: the secret every keyring left unset is derived from (kid derived-1), at least 32 characters' })),
  INTERNAL_AUTH_KEYS: Keyring('keys that sign and verify the credential of each /internal call'),
  IDENTITY_KEYS: Keyring('keys that sign (gateway) and verify (services) identity assertions'),
  OTP_HMAC_KEYS: Keyring('keys of the HMAC under which OTP codes are stored'),
  EVENT_SEAL_KEYS: Keyring('keys that seal secrets (codes, links) inside events and delivery requests'),
  REAUTH_MAX_AGE_SECONDS: Int('how recent the last password, code or passkey proof of a session must be for a sensitive change', 300, 10, 86_400),
  BODY_LIMIT_BYTES: Int('largest accepted request body', 65_536, 1024, 10_485_760),
  SHUTDOWN_DRAIN_MS: Int('on SIGTERM, how long the instance reports unready and keeps serving (responses close their connections) before it stops accepting', 6000, 0, 120_000),
  STARTUP_BACKEND_WAIT_MS: Int('how long start-up keeps retrying an unreachable database or broker (or a migration that lost a deadlock) before the process exits', 60_000, 0, 600_000),
  SHUTDOWN_TIMEOUT_MS: Int('how long graceful shutdown waits for in-flight work', 10_000, 0, 120_000),
  INTERNAL_TIMEOUT_MS: Int('timeout of service-to-service calls', 5000, 100, 120_000),
  METRICS_ENABLED: Bool('serve /metrics', true),
  SERVICE_VERSION: Type.String({ default: 'dev', minLength: 1, description: 'the version this instance runs (the image tag): `version` in every log line and `service.version` on every span' }),
  OTEL_EXPORTER_OTLP_ENDPOINT: Type.Optional(Type.String({ pattern: '^https?://', description: 'an OTLP/HTTP collector (http://collector:4318); traces go to <endpoint>/v1/traces; unset: tracing off' })),
  OTEL_EXPORTER_OTLP_HEADERS: Type.Optional(Type.String({ description: 'headers sent with each export, key=value pairs separated by commas (a hosted collector\'s API key)' })),
  OTEL_TRACES_SAMPLER_ARG: Type.Number({ default: 1, minimum: 0, maximum: 1, description: 'share of new traces recorded, 0 to 1; a request that arrives with a traceparent keeps its caller\'s decision' }),
  OTEL_BSP_SCHEDULE_DELAY: Int('milliseconds finished spans wait to be exported together', 5000, 10, 600_000)
})

export type BaseConfig = Static<typeof BaseConfigSchema>
