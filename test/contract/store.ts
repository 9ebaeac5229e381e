// The ClusterStore contract: the same tests for every adapter (SQLite, Redis). `open`
// gives a store on a fresh backing; `reopen` another store on the same backing (a second
// process, or the same one after a restart).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ClusterRecord } from '../../src/clusters/record.js';
import type { ClusterStore } from '../../src/store/cluster-store.js';

export interface StoreBacking { open(): Promise<ClusterStore>; reopen(): Promise<ClusterStore>; cleanup(): Promise<void> }

export function sampleRecord(id: string, projectId: string, createdAt: string, state: ClusterRecord['state'] = 'pending'): ClusterRecord {
  return {
    id, projectId, userId: 'u1', desired: 'present', state, reason: null, message: null,
    spec: { name: 'c', masterFlavor: 'm1.small', workerFlavor: 'm1.small', masterImage: 'img', workerImage: 'img', workers: 2,
      externalNetwork: 'public', networkName: 'n', frameworks: [{ name: 'hadoop', version: null }], components: { hadoop: { replicas: 2 } } },
    attributes: { 'icclab.disco.clustersize': 2 }, stackName: `disco-${id}`, stackId: null, stackStatus: null, stackStatusReason: null,
    outputs: { sshKeyName: `k-${id}` }, sealedSecrets: 'v1:sealed', createTokenExpiresAt: null, createdAt, updatedAt: createdAt, polls: 0,
  };
}

export function storeContract(name: string, backing: () => Promise<StoreBacking>): void {
  const withStore = (title: string, f: (s: ClusterStore, b: StoreBacking) => Promise<void>) => test(`${name} store: ${title}`, async () => {
    const b = await backing();
    const s = await b.open();
    try { await f(s, b); } finally { await s.close(); await b.cleanup(); }
  });

  withStore('create then get gives the same record; a second create of the id is refused', async (s) => {
    const r = sampleRecord('a1', 'p1', '2026-01-01T00:00:00.000Z');
    await s.create(r);
    assert.deepEqual(await s.get('a1'), { ...r, revision: 1 });
    assert.equal(await s.get('nope'), undefined);
    await assert.rejects(s.create({ ...r, state: 'ready' }));
    assert.equal((await s.get('a1'))!.state, 'pending', 'the refused create changed nothing');
  });

  withStore('reservations: each reserve answers the live ones of its project, its own included; expired and released ones go', async (s, b) => {
    const r = (id: string, until: number) => ({ id, until, needs: { instances: 2 } });
    assert.deepEqual(await s.reserve('p1', r('x', 2000), 1000), [r('x', 2000)]);
    // another process reserving afterwards sees the first one
    const other = await b.reopen();
    try {
      assert.deepEqual((await other.reserve('p1', r('y', 3000), 1500)).map((x) => x.id).sort(), ['x', 'y']);
      assert.deepEqual((await other.reserve('p2', r('z', 3000), 1500)).map((x) => x.id), ['z'], 'per project');
    } finally { await other.close(); }
    assert.deepEqual((await s.reserve('p1', r('w', 4000), 2500)).map((x) => x.id).sort(), ['w', 'y'], 'x expired at 2000');
    await s.release('p1', 'y');
    assert.deepEqual((await s.reserve('p1', r('w', 4000), 2600)).map((x) => x.id), ['w'], 'y released; a second reserve of w replaces it');
  });

  withStore("lists: a project's records in creation order, every id for the sweep", async (s) => {
    await s.create(sampleRecord('b', 'p1', '2026-01-02T00:00:00.000Z'));
    await s.create(sampleRecord('a', 'p1', '2026-01-03T00:00:00.000Z'));
    await s.create(sampleRecord('c', 'p2', '2026-01-01T00:00:00.000Z'));
    assert.deepEqual((await s.listByProject('p1')).map((r) => r.id), ['b', 'a']);
    assert.deepEqual((await s.listByProject('p2')).map((r) => r.id), ['c']);
    assert.deepEqual(await s.listByProject('p3'), []);
    assert.deepEqual(await s.listIds(), ['c', 'b', 'a']);
  });

  withStore('update is an atomic read-modify-write, also between two processes', async (s, b) => {
    await s.create(sampleRecord('u', 'p1', '2026-01-01T00:00:00.000Z'));
    const other = await b.reopen();
    try {
      const bump = (st: ClusterStore) => st.update('u', (r) => ({ ...r, polls: r.polls + 1 }));
      await Promise.all(Array.from({ length: 40 }, (_, i) => bump(i % 2 ? s : other)));
      assert.equal((await s.get('u'))!.polls, 40, 'no increment lost');
      assert.equal(await s.update('missing', (r) => r), undefined);
    } finally { await other.close(); }
  });

  withStore('every write makes a new revision: 1 at create, one more on each update, whatever the change says', async (s, b) => {
    await s.create({ ...sampleRecord('v', 'p1', '2026-01-01T00:00:00.000Z'), revision: 7 });
    assert.equal((await s.get('v'))!.revision, 1);
    const other = await b.reopen();
    try {
      const same = await s.update('v', (r) => ({ ...r, revision: 1 })); // a change that claims a revision, or changes nothing
      assert.equal(same!.revision, 2);
      await other.update('v', (r) => r);
      assert.equal((await s.get('v'))!.revision, 3, 'counted across processes');
      assert.equal((await other.get('v'))!.revision, 3);
    } finally { await other.close(); }
  });

  withStore('delete removes the record from every list and count', async (s) => {
    await s.create(sampleRecord('d1', 'p1', '2026-01-01T00:00:00.000Z', 'ready'));
    await s.create(sampleRecord('d2', 'p1', '2026-01-02T00:00:00.000Z', 'deploying'));
    await s.update('d2', (r) => ({ ...r, state: 'ready' }));
    assert.deepEqual(await s.countByState(), { ready: 2 });
    await s.delete('d1');
    await s.delete('d1');
    assert.equal(await s.get('d1'), undefined);
    assert.deepEqual((await s.listByProject('p1')).map((r) => r.id), ['d2']);
    assert.deepEqual(await s.listIds(), ['d2']);
    assert.deepEqual(await s.countByState(), { ready: 1 });
  });

  withStore('an acknowledged write is there after the store is closed and opened again', async (s, b) => {
    await s.create(sampleRecord('k', 'p1', '2026-01-01T00:00:00.000Z'));
    await s.update('k', (r) => ({ ...r, state: 'ready', stackId: 'st-1' }));
    await s.ping();
    const again = await b.reopen();
    try {
      const r = await again.get('k');
      assert.equal(r?.state, 'ready');
      assert.equal(r?.stackId, 'st-1');
    } finally { await again.close(); }
  });

  withStore("holdings: the project's count, and only the records whose room the cloud may not show yet", async (s, b) => {
    const at = (sec: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, sec)).toISOString();
    await s.create(sampleRecord('old-ready', 'p1', at(0)));
    await s.update('old-ready', (r) => ({ ...r, state: 'ready', stackId: 'st-1' }));           // acknowledged: not read
    await s.create({ ...sampleRecord('old-pending', 'p1', at(1)), admittedNeeds: { instances: 3 } }); // no stack yet: read, however old
    await s.create({ ...sampleRecord('old-failed', 'p1', at(2)), state: 'failed' });          // holds nothing: not read
    await s.create(sampleRecord('old-deleting', 'p1', at(3)));
    await s.update('old-deleting', (r) => ({ ...r, desired: 'absent', state: 'deleting' }));  // going away: not read
    await s.create(sampleRecord('new-ready', 'p1', at(30)));
    await s.update('new-ready', (r) => ({ ...r, state: 'ready', stackId: 'st-2' }));          // made since: read
    await s.create(sampleRecord('other', 'p2', at(1)));                                       // another project: never
    const other = await b.reopen();
    try {
      const ids = async (st: ClusterStore, q: { since: number; ids: string[] }, p = 'p1') => {
        const h = await st.holdings(p, q);
        return { count: h.count, ids: h.records.map((r) => r.id).sort() };
      };
      const since = Date.parse(at(20));
      assert.deepEqual(await ids(s, { since, ids: [] }), { count: 5, ids: ['new-ready', 'old-pending'] });
      assert.deepEqual(await ids(other, { since, ids: [] }), { count: 5, ids: ['new-ready', 'old-pending'] }, 'the same from another process');
      assert.deepEqual(await ids(s, { since, ids: ['old-failed', 'other', 'nope'] }), { count: 5, ids: ['new-ready', 'old-failed', 'old-pending'] },
        "an asked-for id is read when it is the project's");
      assert.deepEqual(await ids(s, { since, ids: [] }, 'p2'), { count: 1, ids: ['other'] });
      assert.deepEqual(await ids(s, { since, ids: [] }, 'p3'), { count: 0, ids: [] });
      const row = (await s.holdings('p1', { since, ids: [] })).records.find((r) => r.id === 'old-pending');
      assert.deepEqual(row, { id: 'old-pending', projectId: 'p1', createdAt: at(1), desired: 'present', state: 'pending', stackId: null, admittedNeeds: { instances: 3 } },
        'the fields admission reads, as written');
      await other.update('old-pending', (r) => ({ ...r, stackId: 'st-3', state: 'deploying' }));
      await s.delete('new-ready');
      assert.deepEqual(await ids(s, { since, ids: [] }), { count: 4, ids: [] }, 'acknowledged, and deleted: neither is read; the count follows');
      await s.create(sampleRecord('again', 'p1', at(40)));
      assert.equal((await s.holdings('p1', { since, ids: [] })).count, 5);
    } finally { await other.close(); }
  });

  withStore("updateAt writes only at the revision that was read: a later write makes it 'stale' and leaves the record alone", async (s, b) => {
    await s.create(sampleRecord('w', 'p1', '2026-01-01T00:00:00.000Z'));
    const read = (await s.get('w'))!;
    const other = await b.reopen();
    try {
      await other.update('w', (r) => ({ ...r, spec: { ...r.spec, workers: 5 } })); // the user's change, from another process
      assert.equal(await s.updateAt('w', read.revision!, (r) => ({ ...r, spec: { ...r.spec, workers: 1 }, state: 'ready' })), 'stale');
      const now = (await s.get('w'))!;
      assert.equal(now.spec.workers, 5, "the user's change stands");
      assert.equal(now.state, 'pending');
      assert.equal(now.revision, 2);
      const done = await s.updateAt('w', 2, (r) => ({ ...r, state: 'ready' }));
      assert.equal(done !== 'stale' && done?.revision, 3);
      assert.equal((await other.get('w'))!.state, 'ready');
      assert.equal(await s.updateAt('missing', 1, (r) => r), undefined);
    } finally { await other.close(); }
  });
}
