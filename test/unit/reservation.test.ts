// What a project holds that OpenStack's numbers may not show yet: the rows are written from
// the rule (a cluster holds its room until Heat acknowledged its stack, or while it is newer
// than the headroom read; clusters being admitted hold theirs through the store).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clusterCount, heldNeeds, minus } from '../../src/admission/reservation.js';
import type { ClusterRecord } from '../../src/clusters/record.js';

const N = (instances: number) => ({ instances, cores: instances, ramMb: 64 * instances, floatingIps: 1, networks: 1, routers: 1, securityGroups: 1 });
const rec = (id: string, o: Partial<ClusterRecord>): ClusterRecord =>
  ({ id, desired: 'present', stackId: null, createdAt: '2026-11-29T10:00:00.000Z', admittedNeeds: N(3), ...o }) as ClusterRecord;
const AT = Date.parse('2026-11-29T10:00:05.000Z'); // the headroom was read 5 s after those records were made

test('held: admitted clusters without an acknowledged stack, newer ones, and the reservations of others', () => {
  const rows: [string, ClusterRecord[], { id: string; until: number; needs: Record<string, number> }[], number][] = [
    ['nothing', [], [], 0],
    ['a pending record holds its room', [rec('a', {})], [], 3],
    ['a stack Heat acknowledged before the read is in the headroom', [rec('a', { stackId: 's' })], [], 0],
    ['a stack made after the read is not', [rec('a', { stackId: 's', createdAt: '2026-11-29T10:00:06.000Z' })], [], 3],
    ['a cluster being deleted holds nothing more', [rec('a', { desired: 'absent' })], [], 0],
    ['a failed one without a stack holds nothing', [rec('a', { state: 'failed' })], [], 0],
    ['a record from before admittedNeeds holds nothing', [rec('a', { admittedNeeds: undefined })], [], 0],
    ['the cluster being admitted is not held twice', [rec('self', {})], [{ id: 'self', until: 0, needs: N(3) }], 0],
    ["another process's reservation", [], [{ id: 'b', until: 0, needs: N(4) }], 4],
    ['a reservation whose record is written counts once', [rec('b', {})], [{ id: 'b', until: 0, needs: N(3) }], 3],
    ['all together', [rec('a', {}), rec('c', { stackId: 's' })], [{ id: 'b', until: 0, needs: N(4) }, { id: 'self', until: 0, needs: N(9) }], 7],
  ];
  for (const [what, records, live, instances] of rows) {
    assert.equal(heldNeeds(records, live, 'self', AT).instances, instances, what);
  }
  assert.deepEqual(heldNeeds([rec('a', {})], [], 'self', AT), N(3), 'every kind of quota');
});

test('the cluster count counts a reservation that became a record once', () => {
  const r = (id: string) => ({ id, until: 0, needs: {} });
  const rows: [string, number, ClusterRecord[], ReturnType<typeof r>[], number][] = [
    ['nothing', 0, [], [], 0],
    ['5 stored, b among those read (its reservation not yet released), c still being admitted', 5, [rec('a', {}), rec('b', {})], [r('b'), r('c')], 6],
    ['self being admitted is not counted', 5, [], [r('self'), r('c')], 6],
    ['self already written (a retried admission) is not counted either', 5, [rec('self', {})], [r('self')], 4],
  ];
  for (const [what, stored, records, live, n] of rows) assert.equal(clusterCount(stored, records, live, 'self'), n, what);
});

test('minus takes what is held off the headroom; unlimited stays unlimited', () => {
  assert.deepEqual(minus({ instances: 10, cores: null, ramMb: 1000, floatingIps: 2, networks: 2, routers: 2, securityGroups: 2 }, N(3)),
    { instances: 7, cores: null, ramMb: 808, floatingIps: 1, networks: 1, routers: 1, securityGroups: 1 });
});
