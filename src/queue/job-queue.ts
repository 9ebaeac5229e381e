// Reconcile jobs: one per cluster id at a time. Embedded: in-process timers
// (local-queue.ts); production: BullMQ (issue 6).
export type JobHandler = (id: string) => Promise<{ requeueAfterMs?: number }>;

export interface JobQueue {
  /** Asks for a reconcile of `id` after `delayMs`; a sooner request wins over a later one. */
  enqueue(id: string, delayMs?: number): Promise<void>;
  /** Starts handing jobs to `handler`. */
  process(handler: JobHandler): void;
  /** Stops taking jobs and waits for the running ones. */
  close(): Promise<void>;
}
