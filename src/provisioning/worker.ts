// Binds the reconciler to the job queue and, at start-up, re-enqueues every record that
// is not settled: nothing is forgotten across a crash or a restart.
import { isSettled } from '../clusters/states.js';
import type { Logger } from '../log/logger.js';
import type { JobQueue } from '../queue/job-queue.js';
import type { ClusterStore } from '../store/cluster-store.js';
import type { Reconciler } from './reconciler.js';

export async function startWorker(o: { store: ClusterStore; queue: JobQueue; reconciler: Reconciler; logger: Logger }): Promise<number> {
  o.queue.process((id) => o.reconciler.reconcile(id));
  let n = 0;
  for (const id of await o.store.listIds()) {
    const r = await o.store.get(id);
    // settled ones too when they expire some day (lifetime, deadline, a failed one's retention): their timer lives in the queue
    if (r && (!isSettled(r.state, r.desired) || r.lifetimeSeconds || r.deadline || r.state === 'failed')) {
      await o.queue.enqueue(id);
      n++;
    }
  }
  o.logger.info({ resumed: n }, 'worker started');
  return n;
}
