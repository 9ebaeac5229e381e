// Pure parts of the lifecycle: lifetime/deadline parsing and when a cluster expires, the
// state history, and the merged event list.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DomainError } from '../../src/errors/domain-error.js';
import { heatEvent, mergeEvents, pageEvents } from '../../src/clusters/events.js';
import { expiresAt, parseExpiry } from '../../src/clusters/expiry.js';
import { HISTORY_MAX, recordTransition } from '../../src/clusters/history.js';
import type { ClusterRecord } from '../../src/clusters/record.js';
import type { StackEvent } from '../../src/openstack/index.js';
import { backoff, createInDoubt, nextLook, phaseStart, retentionEnd } from '../../src/provisioning/timing.js';

const none = { lifetimeSeconds: null, deadline: null };
const NOW = Date.parse('2026-11-22T10:00:00Z');

test('lifetime and deadline: parsed, kept when absent, cleared with none, refused with the attribute named', () => {
  assert.deepEqual(parseExpiry(new Map([['icclab.disco.lifetime', '3600']]), none, NOW), { lifetimeSeconds: 3600, deadline: null });
  assert.deepEqual(parseExpiry(new Map([['icclab.disco.deadline', '2026-11-22T12:00:00+01:00']]), { lifetimeSeconds: 60, deadline: null }, NOW),
    { lifetimeSeconds: 60, deadline: '2026-11-22T11:00:00.000Z' });
  assert.deepEqual(parseExpiry(new Map([['icclab.disco.lifetime', 'none']]), { lifetimeSeconds: 60, deadline: null }, NOW), none);
  for (const [k, v, why] of [['icclab.disco.lifetime', '0', /whole seconds/], ['icclab.disco.lifetime', '1.5', /whole seconds/],
    ['icclab.disco.lifetime', '9999999999', /whole seconds/], ['icclab.disco.deadline', '2026-11-22', /ISO 8601/],
    ['icclab.disco.deadline', '2026-11-22T09:00:00Z', /in the future/]] as const) {
    assert.throws(() => parseExpiry(new Map([[k, v]]), none, NOW), (e: DomainError) => e.code === 'INVALID' && e.attribute === k && why.test(e.message));
  }
});

test('expires at: the deadline or ready + lifetime, the earlier; nothing before ready without a deadline', () => {
  assert.equal(expiresAt({ lifetimeSeconds: 5, deadline: null }, null), null);
  assert.equal(expiresAt({ lifetimeSeconds: 5, deadline: null }, '2026-11-22T10:00:00.000Z'), '2026-11-22T10:00:05.000Z');
  assert.equal(expiresAt({ lifetimeSeconds: 3600, deadline: '2026-11-22T10:30:00.000Z' }, '2026-11-22T10:00:00.000Z'), '2026-11-22T10:30:00.000Z');
  assert.equal(expiresAt({ lifetimeSeconds: 60, deadline: '2026-11-22T10:30:00.000Z' }, '2026-11-22T10:00:00.000Z'), '2026-11-22T10:01:00.000Z');
  assert.equal(expiresAt({ lifetimeSeconds: null, deadline: '2026-11-22T10:30:00.000Z' }, null), '2026-11-22T10:30:00.000Z');
});

test('history: one entry per state or reason change, capped', () => {
  const r = { state: 'pending', reason: null, message: null, updatedAt: 't0' } as unknown as ClusterRecord;
  let cur = recordTransition(undefined, r);
  assert.deepEqual(cur.history, [{ time: 't0', state: 'pending' }]);
  assert.equal(recordTransition(cur, { ...cur, updatedAt: 't1' }).history!.length, 1, 'same state: no entry');
  cur = recordTransition(cur, { ...cur, state: 'failed', reason: 'TIMEOUT', message: 'install took too long', updatedAt: 't2' });
  assert.deepEqual(cur.history![1], { time: 't2', state: 'failed', reason: 'TIMEOUT', message: 'install took too long' });
  for (let i = 0; i < HISTORY_MAX + 5; i++) cur = recordTransition(cur, { ...cur, state: i % 2 ? 'ready' : 'updating', updatedAt: `u${i}` });
  assert.equal(cur.history!.length, HISTORY_MAX);
  assert.equal(cur.history!.at(-1)!.time, `u${HISTORY_MAX + 4}`);
});

test('events: service, Heat and node signals in one list, oldest first, ties keep their order', () => {
  const ev = (time: string, resourceName: string, status: string, statusReason: string): StackEvent =>
    ({ id: time + resourceName, time, resourceName, physicalId: '', status, statusReason, stackName: 'disco-x', stackId: 'i' });
  const merged = mergeEvents(
    [{ time: '2026-11-22T10:00:00.500Z', state: 'pending' }, { time: '2026-11-22T10:00:01.200Z', state: 'deploying' }],
    [ev('2026-11-22T10:00:01Z', 'disco-x', 'CREATE_IN_PROGRESS', 'Stack CREATE started'),
      ev('2026-11-22T10:00:09Z', 'handle', 'SIGNAL_COMPLETE', 'Signal: status:SUCCESS reason:node=c-master framework=bootstrap: installed')].map(heatEvent),
  );
  assert.deepEqual(merged, [
    { id: 'service-2026-11-22T10:00:00.500Z-pending', time: '2026-11-22T10:00:00.500Z', source: 'service', state: 'pending' },
    { id: '2026-11-22T10:00:01Zdisco-x', time: '2026-11-22T10:00:01Z', source: 'heat', stack: 'disco-x', resource: 'disco-x', status: 'CREATE_IN_PROGRESS', reason: 'Stack CREATE started' },
    { id: 'service-2026-11-22T10:00:01.200Z-deploying', time: '2026-11-22T10:00:01.200Z', source: 'service', state: 'deploying' },
    { id: '2026-11-22T10:00:09Zhandle', time: '2026-11-22T10:00:09Z', source: 'node', node: 'c-master', framework: 'bootstrap', status: 'SUCCESS', reason: 'installed' },
  ]);
  // pages: limit, then the marker of the last one seen; an unknown marker is no page
  const first = pageEvents(merged, { limit: 3 });
  assert.deepEqual(first?.events.map((e) => e.id), [merged[0]!.id, merged[1]!.id, merged[2]!.id]);
  assert.equal(first?.next, merged[2]!.id);
  assert.deepEqual(pageEvents(merged, { limit: 3, marker: first!.next }), { events: [merged[3]] });
  assert.deepEqual(pageEvents(merged, { limit: 4 }), { events: merged }, 'no next page when all fit');
  assert.equal(pageEvents(merged, { limit: 3, marker: 'nope' }), null);
});

test('timing: the next look at a settled cluster, a failed one\'s retention, the phase start, the backoff', () => {
  const now = Date.parse('2026-11-22T10:00:00Z');
  assert.equal(nextLook({ lifetimeSeconds: null, deadline: null, readyAt: null }, null, now), undefined);
  assert.equal(nextLook({ lifetimeSeconds: 30, deadline: null, readyAt: '2026-11-22T10:00:00Z' }, null, now), 30_000);
  assert.equal(nextLook({ lifetimeSeconds: 30, deadline: null, readyAt: '2026-11-22T10:00:00Z' }, now + 5000, now), 5000);
  assert.equal(nextLook({ lifetimeSeconds: null, deadline: '2026-12-22T10:00:00Z', readyAt: null }, null, now), 3_600_000, 'capped at an hour');
  assert.equal(nextLook({ lifetimeSeconds: 1, deadline: null, readyAt: '2026-11-22T09:00:00Z' }, null, now), 0);
  const failed = { history: [{ time: '2026-11-22T09:00:00Z', state: 'pending' as const }, { time: '2026-11-22T09:10:00Z', state: 'failed' as const }], updatedAt: '2026-11-22T09:30:00Z' };
  assert.equal(retentionEnd(failed, 3600), Date.parse('2026-11-22T10:10:00Z'));
  assert.equal(retentionEnd(failed, 0), null, '0: kept until DELETE');
  assert.equal(phaseStart({ ...failed, state: 'failed' }), Date.parse('2026-11-22T09:10:00Z'));
  assert.equal(phaseStart({ ...failed, state: 'ready' }), Date.parse('2026-11-22T09:30:00Z'), 'no entry for the state: the last update');
  const p = { pollInitialMs: 1000, pollMaxMs: 15_000 };
  assert.deepEqual([0, 1, 2, 3, 10].map((n) => backoff(n, p)), [1000, 1500, 2250, 3375, 15_000], 'half again each time, capped');
  assert.equal(backoff(20, p, 60_000), 60_000, 'its own cap');
});

test('a create whose answer was lost is in doubt for createInDoubtSeconds, then may be sent again', () => {
  const now = Date.parse('2026-11-22T10:00:00Z');
  const ago = (ms: number) => new Date(now - ms).toISOString();
  const p = { createInDoubtSeconds: 180 };
  assert.equal(createInDoubt({}, now, p), false, 'never sent');
  assert.equal(createInDoubt({ createSentAt: null }, now, p), false, 'answered');
  assert.equal(createInDoubt({ createSentAt: ago(1_000) }, now, p), true);
  assert.equal(createInDoubt({ createSentAt: ago(179_000) }, now, p), true);
  assert.equal(createInDoubt({ createSentAt: ago(181_000) }, now, p), false);
  assert.equal(createInDoubt({ createSentAt: ago(21_000) }, now, { createInDoubtSeconds: 20 }), false, 'configurable');
});
