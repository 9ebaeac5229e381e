// The service in production mode for tests: API and worker processes (each `node src/main.ts`)
// sharing one real redis-server, one secret key and one key prefix. Worker logs are kept
// to check which process reconciled which cluster when.
import { randomBytes, randomUUID } from 'node:crypto';
import { spawnService, testEnv, type Child } from './service.js';
import type { TestRedis } from './redis.js';

export interface Fleet {
  env: Record<string, string>;
  apis: Child[];
  workers: Child[];
  /** Every log line any worker process ever wrote (also those killed). */
  workerLines(): string[];
  spawn(role: 'api' | 'worker'): Promise<Child>;
  /** kill -9 of worker i, then a new worker in its place. */
  killWorker(i: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startFleet(redis: TestRedis, o: { apis: number; workers: number; env?: Record<string, string> }): Promise<Fleet> {
  const env = testEnv({
    SM_REDIS_URL: redis.url, SM_REDIS_PREFIX: `f${randomUUID().slice(0, 8)}`, SM_SECRET_KEY: randomBytes(32).toString('base64'),
    SM_PORT: '0', SM_QUEUE_LOCK_MS: '4000', SM_QUEUE_STALLED_INTERVAL_MS: '1500', SM_QUEUE_SWEEP_SECONDS: '20',
    SM_SHUTDOWN_GRACE_MS: '10000',
    // many clusters' progress reads (nested resources and events) are the local Heat's heaviest load: poll gently
    SM_POLL_INITIAL_MS: '2000', SM_POLL_MAX_MS: '8000', ...o.env,
  });
  const dead: Child[] = [];
  const fleet: Fleet = {
    env, apis: [], workers: [],
    workerLines: () => [...dead, ...fleet.workers].flatMap((c) => c.lines),
    spawn: (role) => spawnService({ ...env, SM_ROLE: role }),
    async killWorker(i) {
      const w = fleet.workers[i]!;
      w.kill('SIGKILL');
      await w.exited;
      dead.push(w);
      fleet.workers[i] = await fleet.spawn('worker');
    },
    async stop() {
      const all = [...fleet.apis, ...fleet.workers];
      for (const c of all) c.kill('SIGTERM');
      // a process stuck on a slow cloud past its grace period does not keep the test alive
      const hard = setTimeout(() => { for (const c of all) c.kill('SIGKILL'); }, 20_000);
      await Promise.all(all.map((c) => c.exited));
      clearTimeout(hard);
    },
  };
  fleet.apis = await Promise.all(Array.from({ length: o.apis }, () => fleet.spawn('api')));
  fleet.workers = await Promise.all(Array.from({ length: o.workers }, () => fleet.spawn('worker')));
  return fleet;
}

/** The "reconciled" lines of the workers: which process ran which cluster, from when, how long. */
export function reconcileRuns(lines: string[]): { clusterId: string; pid: number; start: number; end: number }[] {
  const out = [];
  for (const l of lines) {
    if (!l.includes('"reconciled"')) continue;
    const j = JSON.parse(l) as { clusterId: string; pid: number; startedAt: number; ms: number };
    out.push({ clusterId: j.clusterId, pid: j.pid, start: j.startedAt, end: j.startedAt + j.ms });
  }
  return out;
}

/** Pairs of runs of one cluster that overlapped in time (by different processes or not). */
export function overlappingRuns(runs: ReturnType<typeof reconcileRuns>): string[] {
  const byId = new Map<string, typeof runs>();
  for (const r of runs) byId.set(r.clusterId, [...(byId.get(r.clusterId) ?? []), r]);
  const bad: string[] = [];
  for (const [id, rs] of byId) {
    rs.sort((a, b) => a.start - b.start);
    for (let i = 1; i < rs.length; i++) {
      if (rs[i]!.start < rs[i - 1]!.end) bad.push(`${id}: pid ${rs[i - 1]!.pid} ${rs[i - 1]!.start}-${rs[i - 1]!.end} and pid ${rs[i]!.pid} from ${rs[i]!.start}`);
    }
  }
  return bad;
}
