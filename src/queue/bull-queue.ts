// JobQueue on BullMQ, shared by every API and worker process. The job id is the cluster
// id, so a cluster has one job at most and is reconciled by one worker at a time. A run
// that asks to come back moves its own job to the delayed set (BullMQ's "manual delay"),
// so the job never leaves Redis between runs; a worker killed mid-run loses its lock and
// the job comes back through BullMQ's stalled-job check. A run also holds a run lease
// (run-lease.ts), since BullMQ's lock alone can lapse under a stalled process while the run
// goes on. Around BullMQ, three small structures in Redis: `rerun` (requests that arrived
// while the job ran), `failures` (failures in a row, for backoff and death) and `due` (when
// each job is due, for metrics).
import { randomUUID } from 'node:crypto';
import { DelayedError, Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { silentLogger, type Logger } from '../log/logger.js';
import { backoffDelay } from '../openstack/backoff.js';
import { QueueUnavailableError, type JobHandler, type JobQueue, type QueueStats } from './job-queue.js';
import { RunLeases } from './run-lease.js';

const NAME = 'reconcile';
const SCORE_SHIFT = 0x1000; // BullMQ keeps a delayed job's due time as score / 4096
const BUSY_RETRY_MS = 1000; // a job handed out while another run of it goes on looks again after this
const LEASE = { ttlMs: 60_000, graceMs: 5000 }; // graceMs: see run-lease.ts; tests may shorten it

// keeps the sooner of two requests made while the job runs
const SET_MIN = `
local cur = redis.call('HGET', KEYS[1], ARGV[1])
if (not cur) or tonumber(cur) > tonumber(ARGV[2]) then redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end
return 1`;
const TAKE = `
local v = redis.call('HGET', KEYS[1], ARGV[1])
if v then redis.call('HDEL', KEYS[1], ARGV[1]) end
return v`;

export interface BullQueueOptions {
  url: string; prefix: string; concurrency: number; maxAttempts: number; retryCapMs: number;
  lockMs: number; stalledIntervalMs: number; logger?: Logger;
  /** How long a dead holder's presence must stay away before its lease is taken over (default 5000). */
  leaseGraceMs?: number;
}

interface Data { id: string; nonce: string }

export class BullJobQueue implements JobQueue {
  private readonly redis: Redis;
  private readonly queue: Queue<Data>;
  private worker: Worker<Data> | undefined;
  private workerConnection: Redis | undefined;
  private handler: JobHandler | undefined;
  private leases: RunLeases | undefined;
  private readonly log: Logger;
  private readonly k: { rerun: string; failures: string; due: string };
  private closed = false;

  constructor(private readonly o: BullQueueOptions) {
    this.log = o.logger ?? silentLogger;
    this.redis = new Redis(o.url, { maxRetriesPerRequest: 2, connectTimeout: 2000, commandTimeout: 5000 });
    this.redis.on('error', () => { /* reported by the commands that fail, and by /readyz */ });
    this.queue = new Queue<Data>(NAME, { connection: this.redis, prefix: `${o.prefix}:bull` });
    this.queue.on('error', () => { /* idem */ });
    this.k = { rerun: `${o.prefix}:q:rerun`, failures: `${o.prefix}:q:failures`, due: `${o.prefix}:q:due` };
  }

  private async guard<T>(what: string, f: () => Promise<T>): Promise<T> {
    try { return await f(); } catch (e) {
      if (e instanceof QueueUnavailableError) throw e;
      throw new QueueUnavailableError(`the job queue cannot be reached (${what}: ${(e as Error).message})`, { cause: e });
    }
  }

  async enqueue(id: string, delayMs = 0): Promise<void> {
    if (this.closed) return;
    const due = Date.now() + delayMs;
    await this.guard('enqueue', async () => {
      for (let i = 0; i < 50; i++) {
        const job = await this.queue.getJob(id);
        if (!job) {
          if (await this.add(id, delayMs, due)) return;
          continue; // another process added it first: look at its state
        }
        const state = await job.getState();
        if (state === 'failed' || state === 'completed' || state === 'unknown') {
          await job.remove().catch(() => undefined); // a dead job asked for again comes back
          continue;
        }
        if (state === 'delayed') {
          const score = await this.redis.zscore(this.queue.keys.delayed!, id);
          if (score !== null && Math.floor(Number(score) / SCORE_SHIFT) <= due) return;
          try {
            await this.redis.zadd(this.k.due, 'LT', due, id);
            if (delayMs === 0) await job.promote(); else await job.changeDelay(Math.max(0, due - Date.now()));
            return;
          } catch { continue; /* it left the delayed set meanwhile */ }
        }
        if (state === 'active') {
          await this.redis.eval(SET_MIN, 1, this.k.rerun, id, due);
          // still running: the run's end reads the request; else look again (at worst one extra run)
          if (await this.queue.getJobState(id) === 'active') return;
          continue;
        }
        return; // waiting: it runs as soon as a worker is free
      }
      throw new QueueUnavailableError(`could not schedule a reconcile of ${id}: its job kept changing state`);
    });
  }

  /** Adds the job; false when a job of that id already existed (someone else's). */
  private async add(id: string, delayMs: number, due: number): Promise<boolean> {
    const nonce = randomUUID();
    await this.redis.zadd(this.k.due, 'LT', due, id);
    await this.queue.add(NAME, { id, nonce }, { jobId: id, delay: delayMs, removeOnComplete: true, removeOnFail: false, attempts: 1 });
    return (await this.queue.getJob(id))?.data.nonce === nonce;
  }

  async ensure(id: string): Promise<void> {
    await this.guard('ensure', async () => {
      if (await this.queue.getJobState(id) !== 'unknown') return;
      // a request left by a worker that died between a run's end and reading it is served too
      await this.redis.hdel(this.k.rerun, id);
      await this.add(id, 0, Date.now());
    });
  }

  process(handler: JobHandler): void {
    this.handler = handler;
    this.leases = new RunLeases(this.redis, this.o.url, this.o.prefix, { ...LEASE, graceMs: this.o.leaseGraceMs ?? LEASE.graceMs });
    const connection = this.workerConnection = new Redis(this.o.url, { maxRetriesPerRequest: null });
    connection.on('error', () => undefined);
    this.worker = new Worker<Data>(NAME, (job, token) => this.run(job, token), {
      connection, prefix: `${this.o.prefix}:bull`, concurrency: this.o.concurrency,
      lockDuration: this.o.lockMs, stalledInterval: this.o.stalledIntervalMs,
      // a reconcile is idempotent: a job whose worker died is always worth running again
      maxStalledCount: 1_000_000,
    });
    this.worker.on('error', (e) => this.log.warn({ err: e }, 'queue worker error'));
    this.worker.on('completed', (job) => void this.afterRun(job.data.id));
    this.worker.on('failed', (job) => { if (job) void this.afterRun(job.data.id); });
  }

  private async run(job: Job<Data>, token?: string): Promise<void> {
    const id = job.data.id;
    const leased = await this.leases!.acquire(id).catch(() => false);
    if (!leased) return this.defer(job, token, BUSY_RETRY_MS);
    let delay: number | undefined;
    try {
      await this.redis.zrem(this.k.due, id);
      delay = await this.attempt(id);
    } finally {
      await this.leases!.release(id);
    }
    if (await job.extendLock(token!, this.o.lockMs).catch(() => 0) !== 1) {
      // this run outlived its job lock and the job was handed out again: that run carries on
      throw new DelayedError();
    }
    const asked = await this.takeRerun(id);
    if (asked !== undefined) delay = Math.min(delay ?? Infinity, Math.max(0, asked - Date.now()));
    if (delay === undefined) return;
    await this.redis.zadd(this.k.due, 'LT', Date.now() + delay, id);
    await job.moveToDelayed(Date.now() + delay, token);
    await this.afterRun(id);
    throw new DelayedError();
  }

  /** Runs the handler; the delay after which the job comes back, if any. */
  private async attempt(id: string): Promise<number | undefined> {
    try {
      const delay = (await this.handler!(id)).requeueAfterMs;
      await this.redis.hdel(this.k.failures, id);
      return delay;
    } catch (e) {
      const n = await this.redis.hincrby(this.k.failures, id, 1);
      if (n >= this.o.maxAttempts) {
        await this.redis.hdel(this.k.failures, id);
        this.log.error({ clusterId: id, err: e, attempt: n }, 'reconcile failed; the job is dead until asked for again');
        throw e; // BullMQ keeps it in the failed set: visible, and revived by the next enqueue
      }
      const delay = Math.max(1000, backoffDelay(n, { baseMs: 1000, capMs: this.o.retryCapMs }));
      this.log.error({ clusterId: id, err: e, attempt: n, retryInMs: delay }, 'reconcile failed');
      return delay;
    }
  }

  /** Puts the job back for later without running it. */
  private async defer(job: Job<Data>, token: string | undefined, ms: number): Promise<never> {
    try {
      await this.redis.zadd(this.k.due, 'LT', Date.now() + ms, job.data.id);
      await job.moveToDelayed(Date.now() + ms, token);
    } catch { /* Redis away: the lock lapses and the stalled-job check hands it out again */ }
    throw new DelayedError();
  }

  private async takeRerun(id: string): Promise<number | undefined> {
    const v = await this.redis.eval(TAKE, 1, this.k.rerun, id) as string | null;
    return v === null ? undefined : Number(v);
  }

  /** Serves a request that arrived while the job was finishing. */
  private async afterRun(id: string): Promise<void> {
    try {
      const asked = await this.takeRerun(id);
      if (asked !== undefined) await this.enqueue(id, Math.max(0, asked - Date.now()));
    } catch (e) {
      this.log.warn({ clusterId: id, err: e }, 'a request made during a run waits for the next sweep');
    }
  }

  async stats(): Promise<QueueStats> {
    return this.guard('stats', async () => {
      const now = Date.now();
      const [due, delayed, oldest, counts] = await Promise.all([
        this.redis.zcount(this.k.due, '-inf', now), this.redis.zcount(this.k.due, `(${now}`, '+inf'),
        this.redis.zrange(this.k.due, 0, 0, 'WITHSCORES'), this.queue.getJobCounts('active', 'failed'),
      ]);
      const first = oldest[1] === undefined ? now : Number(oldest[1]);
      return { due, delayed, active: counts.active ?? 0, dead: counts.failed ?? 0, oldestDueSeconds: Math.max(0, now - first) / 1000 };
    });
  }

  async dead(): Promise<string[]> {
    return this.guard('dead', async () => (await this.queue.getFailed()).map((j) => j.data.id));
  }

  async ping(): Promise<void> {
    await this.guard('ping', () => this.redis.ping());
  }

  async close(): Promise<void> {
    this.closed = true;
    // lets the running jobs finish; a job cut short by a kill comes back through the stalled check
    await this.worker?.close();
    await this.leases?.close();
    await this.queue.close().catch(() => undefined);
    await this.workerConnection?.quit().catch(() => this.workerConnection?.disconnect());
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
