// Node names stay host names (at most 63 characters) whatever the title.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nodePrefix } from '../../src/heat/node-names.js';

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

test('titles that leave room for "-worker-9999" are the prefix unchanged', () => {
  for (const t of ['a', 'hadoop-lab', 'x'.repeat(51)]) assert.equal(nodePrefix(t), t);
});

test('longer titles: their start and a hash, every node name a host name, distinct titles distinct names', () => {
  const a = `${'a'.repeat(45)}-${'b'.repeat(17)}`; // 63 characters
  const b = `${'a'.repeat(45)}-${'c'.repeat(17)}`;
  const c = `${'a'.repeat(41)}-----${'d'.repeat(17)}`; // the cut falls on dashes
  for (const t of [a, b, c, 'z'.repeat(52), 'q'.repeat(63)]) {
    const p = nodePrefix(t);
    assert.ok(p.length <= 51, p);
    assert.ok(t.startsWith(p.slice(0, 30)), p);
    assert.match(p, /-[0-9a-f]{8}$/);
    for (const n of [`${p}-master`, `${p}-worker-999`]) assert.match(n, LABEL, n);
  }
  assert.notEqual(nodePrefix(a), nodePrefix(b));
  assert.equal(nodePrefix(a), nodePrefix(a));
  assert.equal(nodePrefix(a).length, 51);
  assert.ok(!nodePrefix(c).includes('--'), nodePrefix(c));
});
