// Binds the reconciler to the job queue. At start-up, and every sweepSeconds after, every
// record that is not settled (or will expire some day) gets a job unless it has one:
// nothing is forgotten across a crash, a restart, or a Redis that lost a job. The same
// sweep re-seals, atomically, the secrets an older key sealed (key rotation: SM_SECRET_KEYS)
// and moves into the sealed secrets any secret property an older version kept in clear.
import { isSettled } from '../clusters/states.js';
import type { ClusterRecord } from '../clusters/record.js';
import { resealRecord } from '../clusters/secrets.js';
import type { SecretBox } from '../crypto/secret-box.js';
import type { FrameworkCatalog } from '../frameworks/catalog.js';
import type { Logger } from '../log/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { JobQueue } from '../queue/job-queue.js';
import type { ClusterStore } from '../store/cluster-store.js';
import type { Reconciler } from './reconciler.js';

export interface WorkerDeps {
  store: ClusterStore; queue: JobQueue; reconciler: Reconciler; logger: Logger; metrics?: Metrics; sweepSeconds?: number;
  /** Re-seal with the box's current key during sweeps; without it the sweep only schedules. */
  reseal?: { box: SecretBox; catalog: Pick<FrameworkCatalog, 'get'> };
}

export class Worker {
  private timer: NodeJS.Timeout | undefined;
  /** Records the last sweep could not re-seal (sealed with a key this process lacks); undefined before the first sweep. */
  private unresealed: number | undefined;

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

  /** Gives a job to every record that needs one and has none; how many needed one. Re-seals on the way. */
  async sweep(): Promise<number> {
    let n = 0;
    const resealing = { done: 0, failed: 0 };
    for (const id of await this.d.store.listIds()) {
      let r = await this.d.store.get(id);
      if (r && this.d.reseal) r = await this.reseal(r, resealing);
      // settled ones too when they expire some day (lifetime, deadline, a failed one's retention): their timer lives in the queue
      if (r && (!isSettled(r.state, r.desired) || r.lifetimeSeconds || r.deadline || r.state === 'failed')) {
        await this.d.queue.ensure(id);
        n++;
      }
    }
    this.reportResealing(resealing);
    return n;
  }

  /** The record with its secrets re-sealed with the current key, when they were not (one store.update). */
  private async reseal(r: ClusterRecord, count: { done: number; failed: number }): Promise<ClusterRecord | undefined> {
    const { box, catalog } = this.d.reseal!;
    try {
      if (!resealRecord(box, r, catalog)) return r;
      // decided again on the record as it is inside the atomic update: a reconcile may have written it meanwhile
      const next = await this.d.store.update(r.id, (cur) => resealRecord(box, cur, catalog) ?? cur);
      count.done++;
      return next;
    } catch (e) {
      // sealed with a key this process lacks (another process already has a newer one): left for a process that has it
      count.failed++;
      this.d.logger.warn({ clusterId: r.id, err: e }, 'could not re-seal the secrets with the current key');
      return r;
    }
  }

  private reportResealing(c: { done: number; failed: number }): void {
    const { box } = this.d.reseal ?? {};
    if (!box) return;
    if (c.done) this.d.logger.info({ resealed: c.done, keyId: box.keyId }, 'secrets re-sealed with the current key (SM_SECRET_KEY)');
    if (c.failed === 0 && this.unresealed !== 0 && box.olderKeyIds.length) {
      this.d.logger.info({ keyId: box.keyId, olderKeyIds: box.olderKeyIds },
        'every record is sealed with the current key: the older keys (SM_SECRET_KEYS) are no longer needed by the records');
    }
    this.unresealed = c.failed;
  }
}
