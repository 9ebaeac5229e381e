// Reconcile jobs: one per cluster id at a time. Embedded: in-process timers
// (local-queue.ts); production: BullMQ on Redis (bull-queue.ts). Both pass one contract
// suite (test/contract/queue.ts).
export type JobHandler = (id: string) => Promise<{ requeueAfterMs?: number }>;

export interface QueueStats {
  /** Jobs due now and not yet taken. */
  due: number;
  /** Jobs waiting for a later time (polling backoff, expiry timers, retries). */
  delayed: number;
  active: number;
  /** Jobs that failed maxAttempts times in a row; kept until asked for again. */
  dead: number;
  /** How long the longest-waiting due job has waited, in seconds (0 when none). */
  oldestDueSeconds: number;
}

export interface JobQueue {
  /** Asks for a reconcile of `id` after `delayMs`; a sooner request wins over a later one,
   * a request made while the job runs is served right after it, a dead job comes back. */
  enqueue(id: string, delayMs?: number): Promise<void>;
  /** Schedules `id` now unless it is already scheduled, running or dead (the sweeps). */
  ensure(id: string): Promise<void>;
  /** Starts handing jobs to `handler`. */
  process(handler: JobHandler): void;
  stats(): Promise<QueueStats>;
  /** Ids of the dead jobs. */
  dead(): Promise<string[]>;
  /** Rejects when the queue cannot be reached, for /readyz. */
  ping(): Promise<void>;
  /** Stops taking jobs and waits for the running ones. */
  close(): Promise<void>;
}

export class QueueUnavailableError extends Error {
  readonly code = 'QUEUE_UNAVAILABLE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'QueueUnavailableError';
  }
}
