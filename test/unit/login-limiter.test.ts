// The limit on failed logins, row by row on a hand-driven clock: per user name, per client
// address, the sliding window, what a success takes back (never another client's
// failures), attempts in flight, and the bound on memory.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LoginLimiter, type AttemptKeys, type Outcome } from '../../src/auth/login-limiter.js';

/** One step: at time t (seconds), an attempt with keys and its outcome, or a look at retryAfter. */
type Step =
  | { t: number; try: AttemptKeys; outcome: Outcome; expect?: number }
  | { t: number; ask: AttemptKeys; expect: number };

interface Row { name: string; steps: Step[] }

const A = { user: 'default\0alice', client: '10.0.0.1' };
const A2 = { user: 'default\0alice', client: '10.0.0.2' };
const B1 = { user: 'default\0bob', client: '10.0.0.1' };
const fails = (t: number, keys: AttemptKeys, n: number): Step[] => Array.from({ length: n }, () => ({ t, try: keys, outcome: 'failed' as const }));

const ROWS: Row[] = [
  { name: 'under the user limit: allowed', steps: [...fails(0, A, 2), { t: 1, ask: A, expect: 0 }] },
  { name: 'at the user limit: refused until the oldest failure leaves the window', steps: [
    ...fails(0, A, 2), ...fails(4, A, 1), { t: 5, ask: A, expect: 5 }, { t: 9.5, ask: A, expect: 0.5 }, { t: 10, ask: A, expect: 0 }] },
  { name: 'the user limit holds from another client', steps: [...fails(0, A, 3), { t: 1, ask: A2, expect: 9 }] },
  { name: 'the client limit holds for another user', steps: [
    ...fails(0, { user: 'default\0u1', client: '10.0.0.1' }, 2), ...fails(1, { user: 'default\0u2', client: '10.0.0.1' }, 3),
    { t: 2, ask: B1, expect: 8 }, { t: 2, ask: { user: 'default\0u3', client: '10.0.0.9' }, expect: 0 }] },
  { name: 'token attempts count for the client only', steps: [
    ...fails(0, { client: '10.0.0.1' }, 5), { t: 1, ask: { client: '10.0.0.1' }, expect: 9 }, { t: 1, ask: { user: 'default\0alice', client: '10.0.0.3' }, expect: 0 }] },
  { name: "a success takes back its client's failures for that user", steps: [
    ...fails(0, A, 2), { t: 1, try: A, outcome: 'ok' }, ...fails(2, A, 2), { t: 3, ask: A, expect: 0 }] },
  { name: "a success does not take back another client's failures", steps: [
    ...fails(0, A2, 2), { t: 1, try: A, outcome: 'ok' }, ...fails(2, A2, 1), { t: 2, ask: A, expect: 8 }] },
  { name: "a success does not take back the client's failures for other users", steps: [
    ...fails(0, { user: 'default\0victim', client: '10.0.0.1' }, 3), { t: 1, try: B1, outcome: 'ok' }, ...fails(1, { user: 'default\0victim2', client: '10.0.0.1' }, 2),
    { t: 2, ask: B1, expect: 8 }] },
  { name: 'no answer from Keystone (void) does not count', steps: [
    { t: 0, try: A, outcome: 'void' }, { t: 0, try: A, outcome: 'void' }, { t: 0, try: A, outcome: 'void' }, { t: 0, ask: A, expect: 0 }] },
  { name: 'the window slides: old failures leave one by one', steps: [
    ...fails(0, A, 1), ...fails(3, A, 1), ...fails(6, A, 1), { t: 10.5, ask: A, expect: 0 }, ...fails(11, A, 1), { t: 11, ask: A, expect: 2 }] },
];

for (const row of ROWS) {
  test(`limiter: ${row.name}`, () => {
    let now = 0;
    const l = new LoginLimiter({ perUser: 3, perClient: 5, windowSeconds: 10, now: () => now * 1000 });
    row.steps.forEach((s, i) => {
      now = s.t;
      if ('ask' in s) { assert.equal(l.retryAfter(s.ask), s.expect, `step ${i}`); return; }
      if (s.expect !== undefined) { assert.equal(l.retryAfter(s.try), s.expect, `step ${i} is refused`); return; }
      assert.equal(l.retryAfter(s.try), 0, `step ${i} is allowed`);
      l.settle(l.begin(s.try), s.outcome);
    });
  });
}

test('attempts in flight count: many at once cannot all reach Keystone', () => {
  const l = new LoginLimiter({ perUser: 3, perClient: 100, windowSeconds: 10, now: () => 0 });
  const started = [];
  for (let i = 0; i < 10; i++) if (l.retryAfter(A) === 0) started.push(l.begin(A));
  assert.equal(started.length, 3);
  for (const a of started) l.settle(a, 'void');
  assert.equal(l.retryAfter(A), 0, 'settled without an answer: counted no more');
});

test('0 means no limit', () => {
  const l = new LoginLimiter({ perUser: 0, perClient: 0, windowSeconds: 10, now: () => 0 });
  for (let i = 0; i < 100; i++) l.settle(l.begin(A), 'failed');
  assert.equal(l.retryAfter(A), 0);
  assert.equal(l.size, 0, 'nothing tracked');
});

test('memory is bounded: at most maxKeys keys, the least recently used forgotten', () => {
  let now = 0;
  const l = new LoginLimiter({ perUser: 2, perClient: 1000, windowSeconds: 60, maxKeys: 50, now: () => now });
  l.settle(l.begin({ user: 'default\0target' }), 'failed');
  l.settle(l.begin({ user: 'default\0target' }), 'failed');
  assert.ok(l.retryAfter({ user: 'default\0target' }) > 0);
  for (let i = 0; i < 1000; i++) { now++; l.settle(l.begin({ user: `default\0u${i}`, client: `10.1.${i >> 8}.${i & 255}` }), 'failed'); }
  assert.ok(l.size <= 50, `${l.size} keys`);
});
