// The kept GET answers: one per revision, rendering and audience, never per base URL (the
// Host header); least recently used out first; gone after their time; within a count and a
// byte budget.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AnswerCache, answerBytes } from '../../src/api/answer-cache.js';
import type { RenderingOf } from '../../src/api/etag.js';
import { renderEntity, type EntityView, type Rendered } from '../../src/occi/index.js';
import { DISCO_KIND } from '../../src/disco-kind/kind.js';

const answer = (body: string): Rendered => ({ contentType: 'text/plain', headers: {}, body });
const of = (id: string, revision: number | undefined, o: Partial<RenderingOf> = {}): RenderingOf =>
  ({ id, revision, type: 'text/plain', secrets: true, ...o });

test('an answer is found only for the same id, revision, type, audience and model', () => {
  const c = new AnswerCache({ max: 10, ttlMs: 1000 });
  const k = AnswerCache.key(of('a', 3));
  c.set(k, answer('r3'), 0);
  assert.equal(c.get(k, 1)?.body, 'r3');
  assert.equal(c.get(AnswerCache.key(of('a', 3)), 1)?.body, 'r3', 'the same rendering, asked again');
  for (const other of [of('a', 4), of('b', 3), of('a', 3, { type: 'text/occi' }), of('a', 3, { secrets: false }),
    of('a', 3, { secrets: 'reader' }), of('a', 3, { model: 'other' }), of('a', 3, { updatedAt: '2030-01-01T00:00:00.000Z' })]) {
    assert.equal(c.get(AnswerCache.key(other), 1), undefined, JSON.stringify(other));
  }
});

test('the key holds no base URL: a caller sending many Host values adds no entry', () => {
  // an entity rendering holds relative locations only, so one kept answer serves every base URL
  const view: EntityView = { kind: DISCO_KIND, mixins: [], id: 'a', location: '/disco/a', attributes: [['occi.core.id', 'a']], actions: [] };
  for (const type of ['text/plain', 'text/occi', 'application/occi+json'] as const) {
    assert.deepEqual(renderEntity(view, type, 'http://one.example:8888'), renderEntity(view, type, 'http://two.example'), type);
  }
  const c = new AnswerCache({ max: 1000, ttlMs: 1000 });
  for (let i = 0; i < 100; i++) c.set(AnswerCache.key(of('a', 1)), answer('x'), 0); // as the route does, whatever the Host
  assert.equal(c.size, 1);
});

test('a record without a revision (written before revisions) is never kept', () => {
  const c = new AnswerCache({ max: 10, ttlMs: 1000 });
  const k = AnswerCache.key(of('a', undefined));
  assert.equal(k, undefined);
  c.set(k, answer('x'), 0);
  assert.equal(c.size, 0);
  assert.equal(c.get(k, 0), undefined);
});

test('an answer is gone after its time', () => {
  const c = new AnswerCache({ max: 10, ttlMs: 1000 });
  const k = AnswerCache.key(of('a', 1));
  c.set(k, answer('x'), 0);
  assert.equal(c.get(k, 999)?.body, 'x');
  assert.equal(c.get(k, 1000), undefined);
  assert.equal(c.size, 0, 'an expired answer is dropped when met');
  assert.equal(c.bytes, 0);
});

test('at most max answers: the least recently used goes first', () => {
  const c = new AnswerCache({ max: 2, ttlMs: 1000 });
  const [a, b, d] = ['a', 'b', 'd'].map((id) => AnswerCache.key(of(id, 1)));
  c.set(a, answer('a'), 0);
  c.set(b, answer('b'), 0);
  c.get(a, 1); // a is now more recent than b
  c.set(d, answer('d'), 2);
  assert.equal(c.size, 2);
  assert.equal(c.get(b, 3), undefined, 'b was the least recently used');
  assert.equal(c.get(a, 3)?.body, 'a');
  assert.equal(c.get(d, 3)?.body, 'd');
});

test('answerBytes counts the key, the body (UTF-8) and every header', () => {
  const base = answerBytes('k', answer(''));
  assert.equal(answerBytes('k', answer('x'.repeat(1000))) - base, 1000);
  assert.equal(answerBytes('k', answer('ü')) - base, 2, 'bytes, not characters');
  assert.equal(answerBytes('kk', answer('')) - base, 1);
  const withHeaders: Rendered = { contentType: 'text/plain', headers: { 'X-OCCI-Attribute': ['a'.repeat(500), 'b'.repeat(500)], Category: 'c'.repeat(100) }, body: '' };
  assert.ok(answerBytes('k', withHeaders) - base >= 1100, 'text/occi answers carry their weight in headers');
});

test('within the byte budget: the least recently used go until the rest fits', () => {
  const body = 'x'.repeat(10_000);
  const one = answerBytes(AnswerCache.key(of('0', 1))!, answer(body));
  const c = new AnswerCache({ max: 1000, ttlMs: 60_000, maxBytes: one * 3 });
  const keys = Array.from({ length: 10 }, (_, i) => AnswerCache.key(of(String(i), 1)));
  keys.forEach((k, i) => {
    c.set(k, answer(body), i);
    assert.ok(c.bytes <= one * 3, `after ${i + 1}: ${c.bytes} bytes`);
  });
  assert.equal(c.size, 3, 'three answers of that size fit, whatever the count allows');
  assert.deepEqual(keys.map((k) => c.get(k, 20) !== undefined), [false, false, false, false, false, false, false, true, true, true]);
  // replacing an answer counts it once
  c.set(keys[9], answer(body), 21);
  assert.equal(c.bytes, one * 3);
});

test('an answer larger than the whole budget is not kept; a budget of 0 keeps nothing', () => {
  const c = new AnswerCache({ max: 10, ttlMs: 1000, maxBytes: 1000 });
  c.set(AnswerCache.key(of('small', 1)), answer('x'), 0);
  c.set(AnswerCache.key(of('big', 1)), answer('x'.repeat(2000)), 0);
  assert.equal(c.size, 1);
  assert.equal(c.get(AnswerCache.key(of('big', 1)), 1), undefined);
  assert.equal(c.get(AnswerCache.key(of('small', 1)), 1)?.body, 'x', 'the big one pushed nothing out');
  const none = new AnswerCache({ max: 10, ttlMs: 1000, maxBytes: 0 });
  none.set(AnswerCache.key(of('a', 1)), answer(''), 0);
  assert.equal(none.size, 0);
});

test('the default budget is a few MB', async () => {
  const { ANSWER_CACHE_BYTES } = await import('../../src/api/answer-cache.js');
  assert.ok(ANSWER_CACHE_BYTES >= 1 << 20 && ANSWER_CACHE_BYTES <= 16 << 20);
  const c = new AnswerCache({ max: 1_000_000, ttlMs: 60_000 });
  const body = 'y'.repeat(100_000);
  for (let i = 0; i < 200; i++) c.set(AnswerCache.key(of(String(i), 1)), answer(body), 0);
  assert.ok(c.bytes <= ANSWER_CACHE_BYTES, `${c.bytes} bytes kept`);
});
