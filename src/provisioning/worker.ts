// Binds the reconciler to the job queue. At start-up, and every sweepSeconds after, every
// record that is not settled (or will expire some day) gets a job unless it has one:
// nothing is forgotten across a crash, a restart, or a Redis that lost a job.
import { isSettled } from '../clusters/states.js';
import type { Logger } from '../log/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { JobQueue } from '../queue/job-queue.js';
import type { ClusterStore } from '../store/cluster-store.js';
import type { Reconciler } from './reconciler.js';

export interface WorkerDeps { store: ClusterStore; queue: JobQueue; reconciler: Reconciler; logger: Logger; metrics?: Metrics; sweepSeconds?: number }

export class Worker {
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly d: WorkerDeps) {}

  async start(): Promise<number> {
    this.d.queue.process((id) => this.reconcile(id));
    if (this.d.sweepSeconds) {
      this.timer = setInterval(() => {
        this.sweep().catch((e: unknown) => this.d.logger.warn({ err: e }, 'sweep failed; the next one tries again'));
      }, this.d.sweepSeconds * 1000);
      this.timer.unref();
    }
    const n = await this.sweep();
    this.d.logger.info({ resumed: n }, 'worker started');
    return n;
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** One reconcile, timed; the log line says which process ran which cluster when. */
  private async reconcile(id: string): Promise<{ requeueAfterMs?: number }> {
    const started = Date.now();
    let outcome = 'error';
    try {
      const out = await this.d.reconciler.reconcile(id);
      outcome = out.requeueAfterMs === undefined ? 'settled' : 'requeued';
      return out;
    } finally {
      const ms = Date.now() - started;
      this.d.metrics?.reconcileSeconds.observe({ outcome }, ms / 1000);
      this.d.logger.debug({ clusterId: id, startedAt: started, ms, outcome, pid: process.pid }, 'reconciled');
    }
  }

  /** Gives a job to every record that needs one and has none; how many needed one. */
  async sweep(): Promise<number> {
    let n = 0;
    for (const id of await this.d.store.listIds()) {
      const r = await this.d.store.get(id);
      // settled ones too when they expire some day (lifetime, deadline, a failed one's retention): their timer lives in the queue
      if (r && (!isSettled(r.state, r.desired) || r.lifetimeSeconds || r.deadline || r.state === 'failed')) {
        await this.d.queue.ensure(id);
        n++;
      }
    }
    return n;
  }
}
