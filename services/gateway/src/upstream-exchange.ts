import { Readable } from 'node:stream'
import type { IncomingHttpHeaders } from 'node:http'
import type { Dispatcher } from 'undici'

/**
 * Why the gateway gave up on a request to an instance before its answer was
 * complete: its deadline passed (GATEWAY_UPSTREAM_TIMEOUT_MS) while it waited
 * for a connection or for the answer's head, or the client went away.
 */
export type CancelReason = 'deadline' | 'client_closed'

/** An instance's answer, its body streaming. */
export interface UpstreamAnswer {
  statusCode: number
  headers: IncomingHttpHeaders
  body: Readable
}

export type Outcome = { sent: UpstreamAnswer } | { failed: unknown }

/** The failure a cancelled attempt ends with; `connectionFailure` reads a deadline's as `timed out`. */
class Cancelled extends Error {
  readonly code: string
  readonly reason: CancelReason
  constructor (reason: CancelReason) {
    super(reason === 'deadline' ? 'the upstream deadline passed' : 'the client went away')
    // `TimeoutError` is what connectionFailure (kit) reports as `timed out`: a 504.
    this.name = reason === 'deadline' ? 'TimeoutError' : 'AbortError'
    this.code = reason === 'deadline' ? 'UND_ERR_HEADERS_TIMEOUT' : 'client_closed'
    this.reason = reason
  }
}

/**
 * One request to an upstream, from the gateway's first attempt to the head of
 * the answer it passes on, retries included: one deadline for all of it, the
 * wait for a pooled connection too. A node of the deadline list (linked in
 * place: no list cells to allocate).
 */
export class Exchange {
  deadline = 0
  /** Why it ended early; then every later attempt fails at once. */
  cancelled: CancelReason | undefined = undefined
  /** The attempt waiting for its answer's head, if any. */
  call: UpstreamCall | null = null
  /** On the deadline list. */
  listed = false
  /** The answer's head is in (or the request was answered otherwise): nothing to cancel any more. */
  finished = false
  prev: Exchange | null = null
  next: Exchange | null = null
  readonly upstream: string
  private readonly counted: (upstream: string, reason: CancelReason) => void
  constructor (upstream: string, counted: (upstream: string, reason: CancelReason) => void) {
    this.upstream = upstream
    this.counted = counted
  }

  /** Gives up: the attempt waiting (queued or sent) fails now, and an attempt already sent is aborted, closing its connection. */
  cancel (reason: CancelReason): void {
    if (this.cancelled !== undefined || this.finished) return
    this.cancelled = reason
    this.counted(this.upstream, reason)
    this.call?.cancel(new Cancelled(reason))
  }

  /** For the client's `close`: a no-op once the answer's head is in (the body's own destroy takes over then). */
  readonly clientClosed = (): void => this.cancel('client_closed')

  /** Sends one attempt to `dispatcher`; fails at once when the exchange was cancelled. */
  dispatch (dispatcher: Dispatcher, options: Dispatcher.DispatchOptions): Promise<Outcome> {
    if (this.cancelled !== undefined) return Promise.resolve({ failed: new Cancelled(this.cancelled) })
    const call = new UpstreamCall(this)
    this.call = call
    const outcome = call.outcome
    dispatcher.dispatch(options, call)
    return outcome
  }

  /** A client gone while the answer's body streamed: counted, the attempt already aborted by the body. */
  bodyAbandoned (): void {
    this.counted(this.upstream, 'client_closed')
  }
}

/**
 * One attempt as an undici dispatch handler. Its controller aborts the request
 * on its connection (the instance sees it closed); a request still queued for a
 * connection has none yet: it is answered at once, and refused by
 * `onRequestStart` if a connection ever frees for it (then undici drops it
 * without sending a byte, and keeps the connection).
 */
class UpstreamCall implements Dispatcher.DispatchHandler {
  readonly outcome: Promise<Outcome>
  private resolve!: (outcome: Outcome) => void
  private controller: Dispatcher.DispatchController | null = null
  private cancelled: Cancelled | null = null
  private body: AnswerBody | null = null
  private settled = false
  private readonly exchange: Exchange

  constructor (exchange: Exchange) {
    this.exchange = exchange
    this.outcome = new Promise(resolve => { this.resolve = resolve })
  }

  private settle (outcome: Outcome): void {
    if (this.settled) return
    this.settled = true
    if (this.exchange.call === this) this.exchange.call = null
    this.resolve(outcome)
  }

  cancel (reason: Cancelled): void {
    if (this.settled) return
    this.cancelled = reason
    // Sent: undici fails it (onResponseError settles it) and closes the connection. (undici 7 then
    // opens a spare connection to the instance, nodejs/undici#5845, which the next request takes.)
    if (this.controller) this.controller.abort(reason)
    this.settle({ failed: reason })
  }

  onRequestStart (controller: Dispatcher.DispatchController): void {
    // Thrown here, undici drops the request before writing it, and the connection stays open.
    if (this.cancelled) throw this.cancelled
    this.controller = controller
  }

  onResponseStart (controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders): void {
    if (statusCode < 200) return
    const body = new AnswerBody(controller, this.exchange)
    this.body = body
    this.settle({ sent: { statusCode, headers, body } })
  }

  onResponseData (controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (!this.body!.push(chunk)) controller.pause()
  }

  onResponseEnd (): void {
    this.body!.ended()
  }

  onResponseError (_controller: Dispatcher.DispatchController, error: Error): void {
    if (!this.settled) return this.settle({ failed: error })
    this.body?.failed(error)
  }
}

/**
 * An answer's body as it arrives, paused while the client reads slower.
 * Destroyed before its end by anyone but the instance (Fastify, when the
 * client went away), it aborts the request: the instance sees the connection
 * closed rather than writing into it until the body timeout.
 */
class AnswerBody extends Readable {
  private done = false
  private readonly controller: Dispatcher.DispatchController
  private readonly exchange: Exchange
  constructor (controller: Dispatcher.DispatchController, exchange: Exchange) {
    super()
    this.controller = controller
    this.exchange = exchange
  }

  override _read (): void {
    this.controller.resume()
  }

  ended (): void {
    this.done = true
    this.push(null)
  }

  failed (error: Error): void {
    if (this.done) return
    this.done = true
    this.destroy(error)
  }

  override _destroy (error: Error | null, callback: (error?: Error | null) => void): void {
    if (!this.done) {
      this.done = true
      this.exchange.bodyAbandoned()
      this.controller.abort(error ?? new Cancelled('client_closed'))
    }
    callback(error)
  }
}

export interface ExchangeOptions {
  /** GATEWAY_UPSTREAM_TIMEOUT_MS: from the first attempt to the answer's head. */
  timeoutMs: number
  /** Counts each cancellation (a metric). */
  counted: (upstream: string, reason: CancelReason) => void
  /** A monotonic clock in ms; tests inject one. */
  now?: () => number
  /** How often the deadlines are checked; by default a tenth of the timeout, 10 to 50 ms. */
  tickMs?: number
}

export interface Exchanges {
  /** A new exchange with its deadline running, for requests to `upstream` (the pool's name). */
  start(upstream: string): Exchange
  /** Off the deadline list: the answer's head is in, or the request was answered otherwise. */
  finish(exchange: Exchange): void
  /** Expires every exchange whose deadline has passed (the timer calls it). */
  sweep(): void
  /** Exchanges on the deadline list. */
  readonly size: number
  /** Those on the deadline list per upstream: requests waiting for a connection or an answer's head (read at scrape time). */
  waiting(): Map<string, number>
  close(): void
}

/**
 * Every request's deadline, checked by one timer (not one per request): all
 * deadlines are the same span from their start, so the list stays in deadline
 * order by appending, the earliest at the head; a finished exchange unlinks
 * itself. The timer runs while the list is not empty.
 */
export function createExchanges (options: ExchangeOptions): Exchanges {
  const { timeoutMs, counted } = options
  const now = options.now ?? (() => performance.now())
  const tickMs = options.tickMs ?? Math.min(50, Math.max(10, Math.round(timeoutMs / 10)))
  let head: Exchange | null = null
  let tail: Exchange | null = null
  let size = 0
  let timer: NodeJS.Timeout | undefined
  let closed = false

  const unlink = (exchange: Exchange) => {
    if (!exchange.listed) return
    exchange.listed = false
    if (exchange.prev) exchange.prev.next = exchange.next
    else head = exchange.next
    if (exchange.next) exchange.next.prev = exchange.prev
    else tail = exchange.prev
    exchange.prev = exchange.next = null
    size--
  }

  const sweep = () => {
    const at = now()
    // Each unlinks itself: the next is the new head.
    for (let due = head; due !== null && due.deadline <= at; due = head) {
      unlink(due)
      due.cancel('deadline')
    }
    if (head === null && timer !== undefined) {
      clearInterval(timer)
      timer = undefined
    }
  }

  return {
    start (upstream) {
      const exchange = new Exchange(upstream, counted)
      exchange.deadline = now() + timeoutMs
      exchange.listed = true
      exchange.prev = tail
      if (tail) tail.next = exchange
      else head = exchange
      tail = exchange
      size++
      if (timer === undefined && !closed) {
        timer = setInterval(sweep, tickMs)
        timer.unref()
      }
      return exchange
    },
    finish (exchange) {
      exchange.finished = true
      unlink(exchange)
    },
    sweep,
    get size () { return size },
    waiting () {
      const counts = new Map<string, number>()
      for (let e = head; e !== null; e = e.next) counts.set(e.upstream, (counts.get(e.upstream) ?? 0) + 1)
      return counts
    },
    close () {
      closed = true
      if (timer !== undefined) clearInterval(timer)
      timer = undefined
    }
  }
}
