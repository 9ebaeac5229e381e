// Admission in constant time: it reads the project's count and the few records that hold
// room the cloud does not show yet (store.holdings), never the project's every record. The
// store is the real SQLite one, wrapped to count what is read; only the cloud's quota
// numbers are a stand-in (pure input here; the local cloud's are read in service-errors).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { Admission } from '../../src/admission/admission.js';
import type { Caller } from '../../src/auth/authenticator.js';
import type { ClusterSpec } from '../../src/clusters/record.js';
import type { OpenStack } from '../../src/openstack/index.js';
import type { ClusterStore } from '../../src/store/cluster-store.js';
import { SqliteClusterStore } from '../../src/store/sqlite-store.js';
import { sampleRecord } from '../contract/store.js';

/** Counts every read of the store by method (and the records each answer held). */
function counting(store: ClusterStore): { store: ClusterStore; calls: Record<string, number>; rowsRead: number } {
  const seen = { calls: {} as Record<string, number>, rowsRead: 0 };
  const wrapped = new Proxy(store, {
    get(target, name, receiver) {
      const v = Reflect.get(target, name, receiver) as unknown;
      if (typeof v !== 'function') return v;
      return async (...args: unknown[]) => {
        seen.calls[String(name)] = (seen.calls[String(name)] ?? 0) + 1;
        const out = await (v as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        if (Array.isArray(out) && name !== 'reserve') seen.rowsRead += out.length; // reserve answers reservations, not records
        else if (out && typeof out === 'object' && 'records' in out) seen.rowsRead += (out as { records: unknown[] }).records.length;
        return out;
      };
    },
  });
  return { store: wrapped, get calls() { return seen.calls; }, get rowsRead() { return seen.rowsRead; } };
}

const cloud = (instances: number) => ({
  nova: { headroom: async () => ({ instances, cores: null, ramMb: null }) },
  neutron: { quotas: async () => Object.fromEntries(['floatingip', 'network', 'router', 'security_group'].map((k) => [k, { limit: -1, used: 0, reserved: 0, headroom: null }])) },
}) as unknown as OpenStack;
const caller = { projectId: 'p1', userId: 'u1', projectName: 'demo', token: {} } as unknown as Caller;
const flavor = { id: 'f', name: 'f', vcpus: 1, ramMb: 64, diskGb: 1, ephemeralGb: 0 };
const spec = { workers: 2 } as ClusterSpec; // 3 instances

test('admission reads no listing of the project: 2,000 acknowledged clusters, and it reads only the 3 that hold room', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sm-admission-'));
  const sqlite = new SqliteClusterStore(dir);
  try {
    const old = '2026-01-01T00:00:00.000Z';
    for (let i = 0; i < 2000; i++) await sqlite.create({ ...sampleRecord(`ready-${i}`, 'p1', old, 'ready'), stackId: `st-${i}`, admittedNeeds: { instances: 3 } });
    // two admitted whose stack Heat has not acknowledged: their 6 instances are not in the cloud's numbers
    for (const id of ['a', 'b']) await sqlite.create({ ...sampleRecord(id, 'p1', old), admittedNeeds: { instances: 3 } });
    const c = counting(sqlite);
    const admission = new Admission({ timeoutMs: 1000, retries: 0, cacheSeconds: 60, quotaCacheSeconds: 10, endpointOverrides: {} }, c.store, 5000);
    // 10 instances left by the cloud's count, 6 held by a and b: this one (3) fits, a second does not
    const report = await admission.admit(caller, spec, { master: flavor, worker: flavor }, cloud(10), 'self-1');
    assert.equal(report.fits, true);
    await sqlite.create({ ...sampleRecord('self-1', 'p1', new Date().toISOString()), admittedNeeds: { ...report.needed } });
    await admission.done(caller, 'self-1');
    await assert.rejects(admission.admit(caller, spec, { master: flavor, worker: flavor }, cloud(10), 'self-2'),
      /3 instances needed, 1 left/, 'a, b and self-1 hold 9 of the 10');
    assert.equal(c.calls.listByProject, undefined, 'no listing of the project');
    assert.equal(c.calls.holdings, 2);
    assert.equal(c.rowsRead, 5, 'records read in two admissions: a, b, then a, b, self-1');
  } finally { await sqlite.close(); rmSync(dir, { recursive: true, force: true }); }
});

test('the cluster cap counts from the store: over it is a 409, with no listing either', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sm-admission-'));
  const sqlite = new SqliteClusterStore(dir);
  try {
    for (let i = 0; i < 3; i++) await sqlite.create({ ...sampleRecord(`r-${i}`, 'p1', '2026-01-01T00:00:00.000Z', 'ready'), stackId: `st-${i}` });
    const c = counting(sqlite);
    const admission = new Admission({ timeoutMs: 1000, retries: 0, cacheSeconds: 60, quotaCacheSeconds: 10, endpointOverrides: {} }, c.store, 3);
    await assert.rejects(admission.admit(caller, spec, { master: flavor, worker: flavor }, cloud(100), 'x'), /the project has 3 clusters .*at most 3/);
    await sqlite.delete('r-0');
    assert.equal((await admission.admit(caller, spec, { master: flavor, worker: flavor }, cloud(100), 'y')).fits, true, 'room again once one is deleted');
    assert.equal(c.calls.listByProject, undefined);
  } finally { await sqlite.close(); rmSync(dir, { recursive: true, force: true }); }
});

test('a data directory from before the count and the index: opened, it gains both from its records', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sm-admission-'));
  try {
    // the tables as the previous version made them (sqlite-store.ts at e7b5a70)
    const db = new Database(join(dir, 'clusters.sqlite'));
    db.exec(`CREATE TABLE clusters (id TEXT PRIMARY KEY, project_id TEXT NOT NULL, created_at TEXT NOT NULL, record TEXT NOT NULL);
      CREATE INDEX clusters_project ON clusters (project_id, created_at);
      CREATE TABLE reservations (project_id TEXT NOT NULL, id TEXT NOT NULL, until INTEGER NOT NULL, body TEXT NOT NULL, PRIMARY KEY (project_id, id));`);
    const put = db.prepare('INSERT INTO clusters VALUES (?, ?, ?, ?)');
    const old = '2026-01-01T00:00:00.000Z';
    put.run('acked', 'p1', old, JSON.stringify({ ...sampleRecord('acked', 'p1', old, 'ready'), stackId: 'st', revision: 4 }));
    put.run('waiting', 'p1', old, JSON.stringify({ ...sampleRecord('waiting', 'p1', old), admittedNeeds: { instances: 2 }, revision: 1 }));
    put.run('gone', 'p1', old, JSON.stringify({ ...sampleRecord('gone', 'p1', old), desired: 'absent', state: 'deleting', revision: 2 }));
    put.run('elsewhere', 'p2', old, JSON.stringify({ ...sampleRecord('elsewhere', 'p2', old), revision: 1 }));
    db.close();
    const s = new SqliteClusterStore(dir);
    try {
      const h = await s.holdings('p1', { since: Date.parse('2026-06-01T00:00:00.000Z'), ids: [] });
      assert.equal(h.count, 3);
      assert.deepEqual(h.records, [{ id: 'waiting', projectId: 'p1', createdAt: old, desired: 'present', state: 'pending', stackId: null, admittedNeeds: { instances: 2 } }]);
      assert.equal((await s.get('acked'))!.revision, 4, 'the records themselves untouched');
      await s.create(sampleRecord('new', 'p1', old));
      assert.equal((await s.holdings('p1', { since: 0, ids: [] })).count, 4, 'counted from then on');
    } finally { await s.close(); }
    const again = new SqliteClusterStore(dir); // a second open changes nothing more
    try { assert.equal((await again.holdings('p1', { since: 0, ids: [] })).count, 4); } finally { await again.close(); }
  } finally { rmSync(dir, { recursive: true, force: true }); }
});
