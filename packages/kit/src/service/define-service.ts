import type { Static, TObject } from '@sinclair/typebox'
import type { Logger } from 'pino'
import type { BaseConfig } from '../config/index.ts'
import type { Db, Queryable, RetentionRule, Tx } from '../db/index.ts'
import type { FallbackCache } from '../cache/index.ts'
import type { Bus, CloudEvent, PublishOptions, SubscribeOptions, TypedEvent } from '../bus/index.ts'
import type { EventData, EventType } from '@app/contracts/events'
import type { ServiceClient } from '../client/index.ts'
import type { App, ReadinessCheck, ServerOptions, TlsCredentials } from '../http/index.ts'
import type { Env } from '../config/index.ts'
import type { ServiceName } from './ports.ts'
import type { ServiceKeys } from '../keys/index.ts'
import type { Tracing } from '../tracing/tracing.ts'

/** Members of `D` that the contract `E` does not declare: each must then be `never`, so a producer cannot send an undeclared one. */
export type UndeclaredMembers<D, E> = { [K in Exclude<keyof D, keyof E>]: never }

export interface EventEmitter {
  /**
   * Writes the event to the outbox in the caller's transaction; it is published
   * after commit, to the `events` exchange unless `options` names another.
   * `type` must have a contract in `@app/contracts/events`, and `data` match it.
   */
  emit<T extends EventType, D extends EventData<T>>(tx: Tx, type: T, data: D & UndeclaredMembers<D, EventData<T>>, subject?: string, options?: PublishOptions): Promise<CloudEvent<EventData<T>>>
  /**
   * Runs one statement that changes state and writes `events` to the outbox
   * with it: one round trip, atomic without a transaction. `statement` puts
   * the outbox WITH item it is given in its own WITH list; the item's
   * parameters follow `params`.
   */
  emitWith<R = Record<string, unknown>>(q: Queryable, statement: (outboxCte: string) => string, params: unknown[], events: EventSpec[]): Promise<{ rows: R[], events: CloudEvent[] }>
}

/** One event for `emitWith`: its `data` typed by the contract of its `type`. */
export type EventSpec<T extends EventType = EventType> = {
  [K in T]: {
    type: K
    data: EventData<K>
    subject?: string | undefined
    options?: PublishOptions | undefined
  }
}[T]

/** The event types a topic pattern can deliver (`#`, `user.*`, `notification.requested.#`, an exact type). */
type BoundBy<P extends string> =
  P extends '#' ? EventType
    : P extends EventType ? P
      : P extends `${infer Prefix}.#` ? Extract<EventType, Prefix | `${Prefix}.${string}`>
        : P extends `${infer Prefix}.*` ? Extract<EventType, `${Prefix}.${string}`>
          : never

/**
 * What a consumer's handler receives: the types named in `types`, else those
 * its bindings can deliver, else (bindings that are routing keys, not types)
 * any type; `event.type` narrows `event.data`.
 */
export type ConsumedEvent<B extends string, T extends EventType> =
  TypedEvent<[T] extends [never] ? ([BoundBy<B>] extends [never] ? EventType : BoundBy<B>) : T>

export interface ConsumeOptions<P = undefined, B extends string = string, T extends EventType = never> extends Partial<Omit<SubscribeOptions, 'group' | 'bindings'>> {
  /** Consumer name, unique within the service; the queue is `<service>.<name>`. */
  name: string
  bindings: readonly B[]
  /**
   * The event types this consumer takes, for bindings that are routing keys
   * rather than types (`otp_routing_key`); an event of another type is
   * dead-lettered. Every event is checked against its contract either way.
   */
  types?: readonly T[]
  /**
   * Work to do before the handler's transaction, such as calls to other
   * services (on embedded PGlite a call made inside an open transaction could
   * wait for it). Skipped for an event already processed; its result is the
   * handler's third argument. It may run again if the transaction then fails.
   */
  prepare?: (event: ConsumedEvent<B, T>) => Promise<P>
}

export interface ServiceContext<C> {
  name: ServiceName
  config: Readonly<BaseConfig & C>
  /** The raw environment the service was started with (service URLs are read from it). */
  env: Readonly<Env>
  log: Logger
  /** The keyrings of this deployment, one per purpose (docs/security.md). */
  keys: ServiceKeys
  db: Db
  /**
   * The shared cache (Redis), or while it is unreachable a per-instance one:
   * counters and limits keep working, looser across instances.
   */
  cache: FallbackCache
  bus: Bus
  events: EventEmitter
  /** The service's tracer: off (`enabled` false) unless OTEL_EXPORTER_OTLP_ENDPOINT is set. */
  tracing: Tracing
  now(): Date
  /** A client for another service's `/internal/*` routes. */
  client(service: ServiceName): ServiceClient
  /**
   * Subscribes an idempotent handler: each event's effect runs at most once,
   * in one transaction with the record that it was processed. An event whose
   * payload does not match its type's contract (`@app/contracts/events`) is
   * dead-lettered with the reason and never reaches `prepare` or the handler.
   */
  consume<P = undefined, B extends string = string, T extends EventType = never>(options: ConsumeOptions<P, B, T>, handler: (event: ConsumedEvent<B, T>, tx: Tx, prepared: P) => Promise<void>): Promise<void>
  /** Adds a check to `/readyz`. */
  addReadinessCheck(check: ReadinessCheck): void
  /** Runs on shutdown, after the server stopped accepting requests. */
  onClose(fn: () => Promise<void>): void
}

export interface ServiceDefinition<S extends TObject = TObject> {
  name: ServiceName
  description: string
  /** The service's own settings (prefixed with its name); merged with the base settings. */
  configSchema: S
  /** Absolute path of the service's `migrations` folder, or undefined when it stores nothing. */
  migrationsDir?: string
  /** Keeps no state of its own: no database, no outbox, no bus (the gateway). */
  stateless?: boolean
  serverOptions?: Partial<Pick<ServerOptions, 'openapiRoute' | 'trustProxy' | 'keepAliveTimeoutMs' | 'identityAssertions' | 'metricsRoute' | 'routeLabel' | 'accessLogFields'>>
  /**
   * The certificate and key to serve HTTPS (and HTTP/2) with, read from the
   * service's settings; undefined serves plain HTTP. Throws a ConfigError
   * naming the variable when they cannot be read or do not match.
   */
  tls?(config: BaseConfig & Static<S>): TlsCredentials | undefined
  /**
   * How long the service keeps rows of its tables that grow with traffic; a
   * background job removes older ones in small batches (the kit's outbox and
   * inbox rules are added by the kit). docs/config.md lists the windows.
   */
  retention?(config: BaseConfig & Static<S>): RetentionRule[]
  /** Registers routes and consumers. */
  setup(app: App, ctx: ServiceContext<Static<S>>): Promise<void>
}

export function defineService<S extends TObject> (definition: ServiceDefinition<S>): ServiceDefinition<S> {
  return definition
}
