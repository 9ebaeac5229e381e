// Is this process able to serve? The store, the queue and Keystone, each checked with a
// short timeout; the answer is kept for a second so a busy probe costs nothing.
import got from 'got';
import type { JobQueue } from '../queue/job-queue.js';
import type { ClusterStore } from '../store/cluster-store.js';

export interface Readiness { ready: boolean; checks: Record<'store' | 'queue' | 'keystone', string> }

async function within(ms: number, what: Promise<unknown>): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([what, new Promise((_r, reject) => { timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms); })]);
    return 'ok';
  } catch (e) {
    return (e as Error).message.split('\n')[0]!.slice(0, 200);
  } finally { clearTimeout(timer); }
}

export class ReadinessCheck {
  private last: { at: number; result: Promise<Readiness> } | undefined;

  constructor(private readonly o: { store: ClusterStore; queue: JobQueue; keystoneUrl: string; timeoutMs?: number }) {}

  check(): Promise<Readiness> {
    if (this.last && Date.now() - this.last.at < 1000) return this.last.result;
    const ms = this.o.timeoutMs ?? 2000;
    const result = (async () => {
      const [store, queue, keystone] = await Promise.all([
        within(ms, this.o.store.ping()), within(ms, this.o.queue.ping()),
        within(ms, got(this.o.keystoneUrl, { timeout: { request: ms }, retry: { limit: 0 }, throwHttpErrors: false })
          .then((r) => { if (r.statusCode >= 500) throw new Error(`Keystone answered ${r.statusCode}`); })),
      ]);
      const checks = { store, queue, keystone };
      return { ready: Object.values(checks).every((c) => c === 'ok'), checks };
    })();
    this.last = { at: Date.now(), result };
    return result;
  }
}
