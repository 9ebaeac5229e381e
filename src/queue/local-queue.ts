// In-process JobQueue: a timer per cluster id, never two runs of one id at once (a request
// that arrives while its job runs is kept and served right after), a bound on concurrent
// jobs, retries with capped backoff when a handler throws, and a job that failed
// maxAttempts times in a row kept as dead until it is asked for again.
import { silentLogger, type Logger } from '../log/logger.js';
import { backoffDelay } from '../openstack/backoff.js';
import type { JobHandler, JobQueue, QueueStats } from './job-queue.js';

interface Slot { due: number; timer?: NodeJS.Timeout }

export class LocalJobQueue implements JobQueue {
  private handler: JobHandler | undefined;
  private readonly scheduled = new Map<string, Slot>();
  private readonly running = new Set<string>();
  private readonly rerun = new Map<string, number>();   // id -> delay asked while running
  private readonly failures = new Map<string, number>();
  private readonly waiting: string[] = [];
  private readonly waitingSince = new Map<string, number>();
  private readonly deadIds = new Set<string>();
  private closed = false;
  private idle: (() => void) | undefined;

  constructor(private readonly o: { concurrency?: number; logger?: Logger; retryCapMs?: number; maxAttempts?: number } = {}) {}

  async enqueue(id: string, delayMs = 0): Promise<void> {
    if (this.closed) return;
    this.deadIds.delete(id);
    if (this.running.has(id)) {
      const prev = this.rerun.get(id);
      this.rerun.set(id, prev === undefined ? delayMs : Math.min(prev, delayMs));
      return;
    }
    const due = Date.now() + delayMs;
    const slot = this.scheduled.get(id);
    if (slot && slot.due <= due) return;
    if (slot?.timer) clearTimeout(slot.timer);
    const next: Slot = { due };
    this.scheduled.set(id, next);
    if (this.handler) next.timer = setTimeout(() => this.ready(id), delayMs);
  }

  async ensure(id: string): Promise<void> {
    if (this.scheduled.has(id) || this.running.has(id) || this.waitingSince.has(id) || this.deadIds.has(id)) return;
    await this.enqueue(id);
  }

  process(handler: JobHandler): void {
    this.handler = handler;
    for (const [id, slot] of this.scheduled) {
      slot.timer ??= setTimeout(() => this.ready(id), Math.max(0, slot.due - Date.now()));
    }
  }

  private ready(id: string): void {
    this.scheduled.delete(id);
    if (this.closed) return;
    this.waiting.push(id);
    if (!this.waitingSince.has(id)) this.waitingSince.set(id, Date.now());
    this.pump();
  }

  private pump(): void {
    const limit = this.o.concurrency ?? 4;
    while (this.running.size < limit && this.waiting.length) {
      const id = this.waiting.shift()!;
      this.waitingSince.delete(id);
      if (this.running.has(id)) { this.rerun.set(id, 0); continue; }
      void this.run(id);
    }
  }

  private async run(id: string): Promise<void> {
    this.running.add(id);
    let again: number | undefined;
    try {
      again = (await this.handler!(id)).requeueAfterMs;
      this.failures.delete(id);
    } catch (e) {
      const n = (this.failures.get(id) ?? 0) + 1;
      this.failures.set(id, n);
      if (n >= (this.o.maxAttempts ?? Infinity)) {
        this.deadIds.add(id);
        this.failures.delete(id);
        (this.o.logger ?? silentLogger).error({ clusterId: id, err: e, attempt: n }, 'reconcile failed; the job is dead until asked for again');
      } else {
        again = Math.max(1000, backoffDelay(n, { baseMs: 1000, capMs: this.o.retryCapMs ?? 60_000 }));
        (this.o.logger ?? silentLogger).error({ clusterId: id, err: e, attempt: n, retryInMs: again }, 'reconcile failed');
      }
    } finally {
      this.running.delete(id);
    }
    const asked = this.rerun.get(id);
    this.rerun.delete(id);
    if (asked !== undefined) this.deadIds.delete(id);
    const delay = asked === undefined ? again : again === undefined ? asked : Math.min(asked, again);
    if (delay !== undefined) await this.enqueue(id, delay);
    this.pump();
    if (this.closed && this.running.size === 0) this.idle?.();
  }

  async stats(): Promise<QueueStats> {
    const now = Date.now();
    let due = this.waitingSince.size;
    let oldest = now;
    for (const t of this.waitingSince.values()) oldest = Math.min(oldest, t);
    for (const s of this.scheduled.values()) {
      if (s.due <= now) { due++; oldest = Math.min(oldest, s.due); }
    }
    return { due, delayed: this.scheduled.size - (due - this.waitingSince.size), active: this.running.size, dead: this.deadIds.size, oldestDueSeconds: (now - oldest) / 1000 };
  }

  async dead(): Promise<string[]> {
    return [...this.deadIds];
  }

  async ping(): Promise<void> { /* in-process: always there */ }

  async close(): Promise<void> {
    this.closed = true;
    for (const s of this.scheduled.values()) if (s.timer) clearTimeout(s.timer);
    this.scheduled.clear();
    this.waiting.length = 0;
    if (this.running.size) await new Promise<void>((r) => { this.idle = r; });
  }
}
