// The change stream's summaries and deltas (src/client/summary.ts, src/disco-kind/summary.ts)
// and their reading (src/client/changes.ts): a delta names only what changed, applying it gives
// the new summary back, a summary says what GET says for the same fields, and a client reads
// both this service's events and an older one's (whole resources).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { changeOf, LiveClusters, type Change } from '../../src/client/changes.js';
import { clusterOf, type OcciResource } from '../../src/client/cluster.js';
import { applyDelta, clusterOfSummary, deltaOf, SUMMARY_FIELDS, type ClusterSummary } from '../../src/client/summary.js';
import type { ClusterRecord } from '../../src/clusters/record.js';
import { clusterSummary } from '../../src/disco-kind/summary.js';
import { clusterView } from '../../src/disco-kind/view.js';
import { FrameworkCatalog } from '../../src/frameworks/catalog.js';
import { resourceJson } from '../../src/occi/render-json.js';
import { sampleRecord } from '../contract/store.js';

const ID = '00000000-0000-4000-8000-000000000001';
const base: ClusterSummary = {
  id: ID, revision: 3, title: 'c', state: 'deploying', frameworks: ['bootstrap', 'hadoop'], workers: 2,
  masterFlavor: 'm1.small', workerFlavor: 'm1.small', createdAt: '2026-01-01T00:00:00.000Z', message: 'creating the stack',
};

test('deltaOf: id and revision, then only the fields that changed; a field gone is null', () => {
  const rows: [string, ClusterSummary | undefined, ClusterSummary, Record<string, unknown> | undefined][] = [
    ['nothing changed', base, base, undefined],
    ['the same values in new arrays', base, { ...base, frameworks: ['bootstrap', 'hadoop'] }, undefined],
    ['a new revision of fields the summary does not carry', base, { ...base, revision: 4 }, { id: ID, revision: 4 }],
    ['the state and progress', base, { ...base, revision: 4, state: 'installing', progress: '3/3 servers up' },
      { id: ID, revision: 4, state: 'installing', progress: '3/3 servers up' }],
    ['a message gone', base, { ...base, revision: 5, state: 'ready', message: undefined }, { id: ID, revision: 5, state: 'ready', message: null }],
    ['workers scaled', base, { ...base, revision: 6, workers: 4 }, { id: ID, revision: 6, workers: 4 }],
    ['a framework more (an array that differs)', base, { ...base, revision: 6, frameworks: ['bootstrap', 'hadoop', 'spark'] },
      { id: ID, revision: 6, frameworks: ['bootstrap', 'hadoop', 'spark'] }],
    ['an expiry set', base, { ...base, revision: 7, expiresAt: '2026-02-01T00:00:00.000Z' }, { id: ID, revision: 7, expiresAt: '2026-02-01T00:00:00.000Z' }],
    ['new to the stream: every field it has, no null', undefined, base, { ...base }],
  ];
  for (const [what, prev, next, want] of rows) {
    const d = deltaOf(prev, next);
    assert.deepEqual(d, want, what);
    if (!d) continue;
    // (next as JSON: a field left undefined in the row is a field absent)
    assert.deepEqual(applyDelta(prev, d), JSON.parse(JSON.stringify(next)), `${what}: applying the delta gives the new summary`);
    assert.ok(Object.keys(d).every((k) => k === 'id' || k === 'revision' || (SUMMARY_FIELDS as readonly string[]).includes(k)), what);
  }
});

test('applyDelta leaves the summary it was given as it was (the pages compare objects)', () => {
  const before = structuredClone(base);
  const after = applyDelta(base, { id: ID, revision: 4, state: 'failed', reason: 'TIMEOUT', message: null });
  assert.deepEqual(base, before);
  assert.notEqual(after, base);
  assert.deepEqual(after, { id: ID, revision: 4, title: 'c', state: 'failed', reason: 'TIMEOUT', frameworks: ['bootstrap', 'hadoop'], workers: 2,
    masterFlavor: 'm1.small', workerFlavor: 'm1.small', createdAt: '2026-01-01T00:00:00.000Z' }, 'the message gone, not kept as undefined');
  assert.ok(!('message' in after));
});

const catalog = FrameworkCatalog.load();
const record = (over: Partial<ClusterRecord>): ClusterRecord => ({
  ...sampleRecord(ID, 'p1', '2026-01-01T00:00:00.000Z', 'ready'),
  spec: { ...sampleRecord(ID, 'p1', '').spec, name: 'my-cluster', frameworks: catalog.resolve(['spark']).map((f) => ({ name: f.name, version: f.version })) },
  revision: 9, ...over,
});

test("a record's summary says what GET says for the same fields, and nothing of the rest", () => {
  const rows: Partial<ClusterRecord>[] = [
    {},
    { state: 'installing', message: 'waiting for the nodes', progress: { nodes: 3, serversUp: 3, installed: 1, sections: { hadoop: 2 } } },
    { state: 'failed', reason: 'TIMEOUT', message: 'no signal in 30 min' },
    { readyAt: '2026-01-01T01:00:00.000Z', lifetimeSeconds: 3600, deadline: '2026-01-01T01:30:00.000Z' },
    { outputs: { externalIp: '203.0.113.9', sshKeyName: 'k', sshPublicKey: 'ssh-ed25519 AAAA', gatewayFingerprint: 'ab:cd' }, stackId: 's1', stackStatus: 'CREATE_COMPLETE' },
  ];
  for (const over of rows) {
    const r = record(over);
    const s = clusterSummary(r, catalog);
    const got = clusterOf(JSON.parse(JSON.stringify(resourceJson(clusterView(r, undefined, catalog)))) as OcciResource);
    const pick = (c: object) => Object.fromEntries(SUMMARY_FIELDS.map((k) => [k, (c as Record<string, unknown>)[k]]).filter(([, v]) => v !== undefined));
    assert.deepEqual(pick(clusterOfSummary(s)), pick(got), JSON.stringify(over));
    assert.equal(s.revision, 9);
    assert.deepEqual(Object.keys(s).filter((k) => k !== 'id' && k !== 'revision' && !(SUMMARY_FIELDS as readonly string[]).includes(k)), [], 'no other field');
    assert.ok(!JSON.stringify(s).includes('203.0.113.9') && !JSON.stringify(s).includes('ssh-ed25519'), 'no address or key: those are read when the cluster is opened');
  }
  assert.ok(JSON.stringify(clusterSummary(record({}), catalog)).length < 300, 'a summary is a few hundred bytes');
});

test('a client reads the stream: the snapshot, each delta applied to the cluster it changes, a gone; an older service\'s whole resources too', () => {
  const live = new LiveClusters();
  const read = (event: string, data: unknown): Change | undefined => { const c = changeOf(event, JSON.stringify(data)); return c && live.apply(c); };
  const other = { ...base, id: '00000000-0000-4000-8000-000000000002', title: 'other' };
  assert.equal(read('snapshot', [base, other])?.type, 'snapshot');
  assert.equal(live.clusters.get(ID)?.state, 'deploying');
  assert.deepEqual(live.clusters.get(ID)?.uis, [], 'what the summary does not carry is empty');
  const before = live.clusters.get(ID)!;
  const c = read('delta', { id: ID, revision: 4, state: 'installing', message: null, progress: '1/3 nodes' });
  assert.equal(c?.type, 'cluster', 'a delta comes out as the cluster it changed');
  const now = (c as Extract<Change, { type: 'cluster' }>).cluster;
  assert.equal(now, live.clusters.get(ID));
  assert.deepEqual([now.state, now.message, now.progress, now.title, now.revision, now.workers], ['installing', undefined, '1/3 nodes', 'c', 4, 2]);
  assert.equal(before.state, 'deploying', 'the cluster before the delta is left as it was');
  const fresh = '00000000-0000-4000-8000-000000000003';
  read('delta', { ...base, id: fresh, title: 'new one' });
  assert.equal(live.clusters.get(fresh)?.title, 'new one', 'a delta of a cluster new to the stream is all of it');
  read('gone', { id: other.id });
  assert.deepEqual([...live.clusters.keys()], [ID, fresh]);
  assert.equal(read('someday', {}), undefined, "a newer service's event is passed over");

  // an older service: whole resources in the snapshot and in `cluster` events
  const resource: OcciResource = { id: ID, title: 'old', mixins: ['http://schemas.cloudcomplab.ch/occi/sm/framework#hadoop'],
    attributes: { 'occi.core.title': 'old', 'icclab.disco.state': 'ready', external_ip: '203.0.113.9' }, actions: [] };
  read('snapshot', [resource]);
  assert.deepEqual([live.clusters.get(ID)?.state, live.clusters.get(ID)?.externalIp, live.clusters.size], ['ready', '203.0.113.9', 1], 'the snapshot starts afresh');
  read('cluster', { ...resource, attributes: { ...resource.attributes, 'icclab.disco.state': 'deleting' } });
  assert.equal(live.clusters.get(ID)?.state, 'deleting');
  assert.deepEqual(read('end', { message: 'the token was revoked' }), { type: 'end', message: 'the token was revoked' });
});
