// Writes that never lose a user's action (issue 26): a reconciler pass that read the record
// before a user's scale, suspend, resume, lifetime or delete landed must not write what it
// decided from that read. On both stores (SQLite, and Redis against a real redis-server):
// one case that holds a pass between its read and its write and lands a scale there (on
// the code before compare-and-swap writes, the pass wrote "ready" over the user's
// "updating" and the scale's way back, scaleFrom, was lost), then a property test
// (fast-check) that interleaves user actions with passes. The user's actions go through
// ClusterService, the passes through Reconciler, whose store lands a user's action just
// before the pass's first write (after its read and its decision); the stack is a model
// (model-cloud.ts) that completes each action at once, so the record can be compared with
// it at every write.
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import type { Caller } from '../../src/auth/authenticator.js';
import type { ClusterRecord } from '../../src/clusters/record.js';
import { sealSecrets } from '../../src/clusters/secrets.js';
import { loadConfig } from '../../src/config/load.js';
import { SecretBox } from '../../src/crypto/secret-box.js';
import { DomainError } from '../../src/errors/domain-error.js';
import { FrameworkCatalog } from '../../src/frameworks/catalog.js';
import { BaseTemplateRenderer } from '../../src/heat/renderer.js';
import type { AttributeValue } from '../../src/occi/model.js';
import type { OpenStack } from '../../src/openstack/index.js';
import { Reconciler } from '../../src/provisioning/reconciler.js';
import type { JobQueue } from '../../src/queue/job-queue.js';
import { ClusterService } from '../../src/service/cluster-service.js';
import type { ClusterStore } from '../../src/store/cluster-store.js';
import { ATTR } from '../../src/disco-kind/attribute-names.js';
import { RedisClusterStore } from '../../src/store/redis-store.js';
import { SqliteClusterStore } from '../../src/store/sqlite-store.js';
import { sampleRecord } from '../contract/store.js';
import { modelAccess, modelStack, type ModelStack } from '../helpers/model-cloud.js';
import { startRedis, type TestRedis } from '../helpers/redis.js';

let redis: TestRedis;
before(async () => { redis = await startRedis(); });
after(async () => { await redis.stop(); });

const catalog = FrameworkCatalog.load();
const renderer = new BaseTemplateRenderer(catalog);
const config = loadConfig({});
const box = new SecretBox(randomBytes(32));
const caller = { projectId: 'p1', userId: 'u1', projectName: 'demo', token: { value: 't', expiresAt: new Date(Date.now() + 3600_000), roles: ['member'] } } as unknown as Caller;
// checkScale asks the project's quota for the workers a scale adds: no limit here
const unlimited = {
  nova: { headroom: async () => ({ instances: null, cores: null, ramMb: null }) },
  neutron: { quotas: async () => Object.fromEntries(['floatingip', 'network', 'router', 'security_group'].map((k) => [k, { limit: -1, used: 0, reserved: 0, headroom: null }])) },
} as unknown as OpenStack;

type UserAction = { kind: 'scale'; workers: number } | { kind: 'suspend' } | { kind: 'resume' } | { kind: 'lifetime'; seconds: number } | { kind: 'delete' };

interface World {
  id: string; m: ModelStack; store: ClusterStore; reconciler: Reconciler;
  /** Landed by the reconciler's store before the next pass's first write, then cleared. */
  landing: UserAction | null;
  /** A user's action as the API takes it; false when the service refused it (409: not ready, being deleted). */
  user(a: UserAction): Promise<boolean>;
  /** What the user's accepted actions asked for, the last of each kind. */
  asked: { workers: number; runstate: 'running' | 'suspended'; lifetime: number | null; deleted: boolean };
  /** Every state a write gave the record, and what the stack was at that moment when it claimed to be settled wrongly. */
  violations: string[];
  close(): Promise<void>;
}

/** Every write checked against the stack: "ready" or "suspended" only when the stack is so. */
function checked(store: ClusterStore, m: ModelStack, violations: string[]): ClusterStore {
  const check = (r: ClusterRecord | 'stale' | undefined) => {
    if (!r || r === 'stale') return;
    if (r.state === 'ready' && (m.workers !== r.spec.workers || m.suspended || r.runstate === 'suspended')) {
      violations.push(`ready at revision ${r.revision} with ${r.spec.workers} workers and run state ${r.runstate ?? 'running'}, the stack ${m.workers} workers${m.suspended ? ', suspended' : ''}`);
    }
    if (r.state === 'suspended' && (!m.suspended || r.runstate !== 'suspended')) violations.push(`suspended at revision ${r.revision}, the stack ${m.suspended ? 'suspended' : 'running'}`);
  };
  return new Proxy(store, {
    get(target, name, receiver) {
      const v = Reflect.get(target, name, receiver) as unknown;
      if (name !== 'update' && name !== 'updateAt') return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      return async (...args: unknown[]) => {
        const out = await (v as (...a: unknown[]) => Promise<ClusterRecord | 'stale' | undefined>).apply(target, args);
        check(out);
        return out;
      };
    },
  });
}

async function world(open: () => ClusterStore, workers = 1): Promise<World> {
  const id = randomUUID();
  const raw = open();
  const m = modelStack(`disco-${id}`, workers);
  const violations: string[] = [];
  const store = checked(raw, m, violations);
  const now = new Date().toISOString();
  const base = sampleRecord(id, 'p1', now, 'ready');
  await raw.create({
    ...base, stackName: m.name, stackId: m.id, stackStatus: 'UPDATE_COMPLETE', readyAt: now,
    spec: { ...base.spec, workers, frameworks: [{ name: 'bootstrap', version: null }], components: { bootstrap: {} } },
    sealedSecrets: sealSecrets(box, id, { sshPrivateKey: 'k', appCredentialId: 'ac', appCredentialSecret: 'secret' }),
  });
  const queue = { enqueue: async () => undefined } as unknown as JobQueue; // passes are run by the test itself
  const w = { landing: null } as World;
  // the reconciler's writes wait while a user's action lands: between the pass's read and its write
  const reconcilerStore = new Proxy(store, {
    get(target, name, receiver) {
      const v = Reflect.get(target, name, receiver) as unknown;
      if (typeof v !== 'function') return v;
      return async (...args: unknown[]) => {
        if (['update', 'updateAt', 'delete'].includes(String(name)) && w.landing) {
          const a = w.landing;
          w.landing = null;
          await user(a);
        }
        return (v as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  const reconciler = new Reconciler({ store: reconcilerStore, box, renderer, access: modelAccess(m), config });
  const service = new ClusterService({ store, queue, catalog, renderer, config, box, cloudFor: () => unlimited });
  const attrs = (o: Record<string, AttributeValue>) => new Map(Object.entries(o));
  const asked: World['asked'] = { workers, runstate: 'running', lifetime: null, deleted: false };
  const user = async (a: UserAction): Promise<boolean> => {
    try {
      if (a.kind === 'scale') await service.action(caller, id, 'scale', attrs({ [ATTR.workers]: a.workers }));
      else if (a.kind === 'suspend' || a.kind === 'resume') await service.action(caller, id, a.kind, attrs({}));
      else if (a.kind === 'lifetime') await service.update(caller, id, attrs({ [ATTR.lifetime]: a.seconds }));
      else await service.delete(caller, id);
      if (a.kind === 'scale') asked.workers = a.workers;
      if (a.kind === 'suspend' || a.kind === 'resume') asked.runstate = a.kind === 'suspend' ? 'suspended' : 'running';
      if (a.kind === 'lifetime') asked.lifetime = a.seconds;
      if (a.kind === 'delete') asked.deleted = true;
      return true;
    } catch (e) {
      if (e instanceof DomainError && (e.code === 'CONFLICT' || e.code === 'NOT_FOUND')) return false;
      throw e;
    }
  };
  return Object.assign(w, { id, m, store, reconciler, user, asked, violations, close: () => raw.close() });
}

const stores: [string, () => { open(): ClusterStore; cleanup(): void }][] = [
  ['sqlite', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sm-race-'));
    return { open: () => new SqliteClusterStore(dir), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
  }],
  ['redis', () => {
    const prefix = `race${randomUUID().slice(0, 8)}`;
    return { open: () => new RedisClusterStore(redis.url, prefix), cleanup: () => undefined };
  }],
];

for (const [name, backing] of stores) {
  test(`${name}: a scale landing between a pass's read and its write is not written over; the pass decides again and scales`, async () => {
    const b = backing();
    const w = await world(b.open, 1);
    try {
      w.landing = { kind: 'scale', workers: 2 };
      await w.reconciler.reconcile(w.id);
      assert.equal(w.landing, null, 'the scale landed during the pass');
      assert.deepEqual(w.violations, [], 'no write said ready over the scale');
      assert.deepEqual(w.m.calls, ['scale 2'], 'the same pass, deciding again, sent the scale');
      const mid = (await w.store.get(w.id))!;
      assert.equal(mid.state, 'updating');
      assert.equal(mid.scaleFrom, 1, "the scale's way back is kept");
      await w.reconciler.reconcile(w.id);
      const end = (await w.store.get(w.id))!;
      assert.equal(end.state, 'ready');
      assert.equal(end.spec.workers, 2);
      assert.deepEqual((end.history ?? []).map((h) => h.state).slice(-2), ['updating', 'ready'], 'no ready between the scale and its end');
    } finally { await w.close(); b.cleanup(); }
  });

  test(`${name}: user actions interleaved with reconciler passes, some landing mid-pass: every write agrees with the stack, and the end is what the user asked for last`, { timeout: 300_000 }, async () => {
    const action: fc.Arbitrary<UserAction> = fc.oneof(
      { weight: 4, arbitrary: fc.integer({ min: 0, max: 3 }).map((workers) => ({ kind: 'scale' as const, workers })) },
      { weight: 2, arbitrary: fc.constant({ kind: 'suspend' as const }) },
      { weight: 2, arbitrary: fc.constant({ kind: 'resume' as const }) },
      { weight: 2, arbitrary: fc.integer({ min: 3600, max: 7200 }).map((seconds) => ({ kind: 'lifetime' as const, seconds })) },
      { weight: 1, arbitrary: fc.constant({ kind: 'delete' as const }) },
    );
    const step = fc.oneof(
      fc.record({ pass: fc.constant(true), during: fc.option(action, { freq: 2 }) }),
      fc.record({ pass: fc.constant(false), during: action.map((a) => a as UserAction | null) }),
    );
    await fc.assert(fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 10 }), async (steps) => {
      const b = backing();
      const w = await world(b.open, 1);
      try {
        const { asked } = w;
        for (const s of steps) {
          if (!s.pass) { await w.user(s.during!); continue; }
          w.landing = s.during;
          await w.reconciler.reconcile(w.id);
          // a pass that wrote nothing landed nothing: the action comes right after it
          if (w.landing) { const a: UserAction = w.landing; w.landing = null; await w.user(a); }
        }
        // then quiet: passes until nothing is left to do (each model action completes at once)
        for (let i = 0; i < 8; i++) await w.reconciler.reconcile(w.id);
        assert.deepEqual(w.violations, []);
        const end = await w.store.get(w.id);
        if (asked.deleted) {
          assert.equal(end, undefined, 'deleted');
          assert.equal(w.m.deleted, true);
          return;
        }
        assert.ok(end, 'still there');
        assert.equal(end.state, asked.runstate === 'suspended' ? 'suspended' : 'ready', JSON.stringify(end.history));
        assert.equal(end.spec.workers, asked.workers);
        assert.equal(w.m.workers, asked.workers);
        assert.equal(w.m.suspended, asked.runstate === 'suspended');
        assert.equal(end.lifetimeSeconds ?? null, asked.lifetime);
      } finally { await w.close(); b.cleanup(); }
    }), { numRuns: 60 });
  });
}
