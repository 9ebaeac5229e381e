// The kept GET answers: one per revision, rendering and base URL; least recently used out
// first; gone after their time.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AnswerCache } from '../../src/api/answer-cache.js';
import type { Rendered } from '../../src/occi/index.js';

const answer = (body: string): Rendered => ({ contentType: 'text/plain', headers: {}, body });

test('an answer is found only for the same id, revision, type and base URL', () => {
  const c = new AnswerCache({ max: 10, ttlMs: 1000 });
  const k = AnswerCache.key('a', 3, 'text/plain', 'http://h');
  c.set(k, answer('r3'), 0);
  assert.equal(c.get(k, 1)?.body, 'r3');
  for (const other of [AnswerCache.key('a', 4, 'text/plain', 'http://h'), AnswerCache.key('b', 3, 'text/plain', 'http://h'),
    AnswerCache.key('a', 3, 'text/occi', 'http://h'), AnswerCache.key('a', 3, 'text/plain', 'http://other')]) {
    assert.equal(c.get(other, 1), undefined, other);
  }
});

test('a record without a revision (written before revisions) is never kept', () => {
  const c = new AnswerCache({ max: 10, ttlMs: 1000 });
  const k = AnswerCache.key('a', undefined, 'text/plain', 'http://h');
  assert.equal(k, undefined);
  c.set(k, answer('x'), 0);
  assert.equal(c.size, 0);
  assert.equal(c.get(k, 0), undefined);
});

test('an answer is gone after its time', () => {
  const c = new AnswerCache({ max: 10, ttlMs: 1000 });
  const k = AnswerCache.key('a', 1, 'text/plain', 'b');
  c.set(k, answer('x'), 0);
  assert.equal(c.get(k, 999)?.body, 'x');
  assert.equal(c.get(k, 1000), undefined);
  assert.equal(c.size, 0, 'an expired answer is dropped when met');
});

test('at most max answers: the least recently used goes first', () => {
  const c = new AnswerCache({ max: 2, ttlMs: 1000 });
  const [a, b, d] = ['a', 'b', 'd'].map((id) => AnswerCache.key(id, 1, 'text/plain', 'u'));
  c.set(a, answer('a'), 0);
  c.set(b, answer('b'), 0);
  c.get(a, 1); // a is now more recent than b
  c.set(d, answer('d'), 2);
  assert.equal(c.size, 2);
  assert.equal(c.get(b, 3), undefined, 'b was the least recently used');
  assert.equal(c.get(a, 3)?.body, 'a');
  assert.equal(c.get(d, 3)?.body, 'd');
});
