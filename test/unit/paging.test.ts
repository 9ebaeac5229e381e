// Pages of GET /disco/ (src/api/paging.ts): limit and marker as OpenStack's lists take
// them, a stable order, the next page's link; every bad value a 400 naming it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DomainError } from '../../src/errors/domain-error.js';
import { LIST_PAGE_MAX, listOrder, listPage, nextLink, pageOf, type ListPage } from '../../src/api/paging.js';

const ID = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

const refusal = (attribute: string) => (e: unknown): boolean =>
  e instanceof DomainError && e.code === 'INVALID' && e.attribute === attribute && e.message.startsWith(`${attribute}: `);

test('limit and marker: what is accepted', () => {
  const rows: [Record<string, unknown>, ListPage][] = [
    [{}, { limit: LIST_PAGE_MAX }],
    [{ limit: '1' }, { limit: 1 }],
    [{ limit: '1000' }, { limit: 1000 }],
    [{ limit: '0050' }, { limit: 50 }],
    [{ marker: ID(7) }, { limit: LIST_PAGE_MAX, marker: ID(7) }],
    [{ limit: '2', marker: ID(1), other: 'x' }, { limit: 2, marker: ID(1) }],
  ];
  for (const [q, want] of rows) assert.deepEqual(listPage(q), want, JSON.stringify(q));
  assert.equal(LIST_PAGE_MAX, 1000);
});

test('limit and marker: every bad value is a 400 naming the parameter', () => {
  const bad: [Record<string, unknown>, string][] = [
    [{ limit: '0' }, 'limit'], [{ limit: '1001' }, 'limit'], [{ limit: '99999' }, 'limit'], [{ limit: '-1' }, 'limit'],
    [{ limit: '1.5' }, 'limit'], [{ limit: '1e3' }, 'limit'], [{ limit: '' }, 'limit'], [{ limit: ' 5' }, 'limit'],
    [{ limit: 'ten' }, 'limit'], [{ limit: ['1', '2'] }, 'limit'], [{ limit: { a: '1' } }, 'limit'], [{ limit: 'x'.repeat(10_000) }, 'limit'],
    [{ marker: '' }, 'marker'], [{ marker: 'not-an-id' }, 'marker'], [{ marker: 'ABCDEF00-0000-4000-8000-000000000001' }, 'marker'],
    [{ marker: [ID(1), ID(2)] }, 'marker'], [{ marker: { a: ID(1) } }, 'marker'], [{ marker: `${ID(1)}x` }, 'marker'],
  ];
  for (const [q, attribute] of bad) assert.throws(() => listPage(q), refusal(attribute), JSON.stringify(q).slice(0, 80));
  // a long value is quoted cut short
  assert.throws(() => listPage({ limit: 'x'.repeat(10_000) }), (e: Error) => e.message.length < 200);
});

const rec = (n: number, createdAt: string) => ({ id: ID(n), createdAt });
// created out of id order, two at the same instant
const ALL = [rec(5, '2024-01-01T00:00:03.000Z'), rec(9, '2024-01-01T00:00:01.000Z'), rec(2, '2024-01-01T00:00:02.000Z'),
  rec(1, '2024-01-01T00:00:02.000Z'), rec(3, '2024-01-01T00:00:04.000Z')];
const ORDER = [ID(9), ID(1), ID(2), ID(5), ID(3)];

test('the order: created_at, then id; the same whatever order the store answers in', () => {
  assert.deepEqual(pageOf(ALL, { limit: 1000 }).items.map((r) => r.id), ORDER);
  assert.deepEqual(pageOf([...ALL].reverse(), { limit: 1000 }).items.map((r) => r.id), ORDER);
  assert.equal(listOrder(rec(1, 'a'), rec(1, 'a')), 0);
  assert.equal(pageOf(ALL, { limit: 1000 }).next, undefined, 'no next page when all fit');
});

test('pages: limit, marker, next; walking the pages lists every cluster once', () => {
  const rows: [ListPage, string[], string | undefined][] = [
    [{ limit: 2 }, [ID(9), ID(1)], ID(1)],
    [{ limit: 2, marker: ID(1) }, [ID(2), ID(5)], ID(5)],
    [{ limit: 2, marker: ID(5) }, [ID(3)], undefined],
    [{ limit: 5 }, ORDER, undefined],
    [{ limit: 4 }, ORDER.slice(0, 4), ID(5)],
    [{ limit: 1, marker: ID(3) }, [], undefined],
  ];
  for (const [p, ids, next] of rows) {
    const got = pageOf(ALL, p);
    assert.deepEqual([got.items.map((r) => r.id), got.next?.id], [ids, next], JSON.stringify(p));
  }
  for (let limit = 1; limit <= 6; limit++) {
    const seen: string[] = [];
    let marker: string | undefined;
    do {
      const page = pageOf(ALL, { limit, ...(marker === undefined ? {} : { marker }) });
      seen.push(...page.items.map((r) => r.id));
      marker = page.next?.id;
    } while (marker !== undefined);
    assert.deepEqual(seen, ORDER, `limit ${limit}`);
  }
});

test('a marker that is not in the list (another project\'s, deleted since) is a 400 naming marker', () => {
  assert.throws(() => pageOf(ALL, { limit: 2, marker: ID(4) }), refusal('marker'));
  assert.throws(() => pageOf([], { limit: 2, marker: ID(4) }), refusal('marker'));
});

test('a marker deleted since, with its place (marker_created_at): the page starts where it stood', () => {
  // ORDER is 9 (…01), 1 (…02), 2 (…02), 5 (…03), 3 (…04); the marker was at each place in turn
  const rows: [string, number, string[]][] = [
    ['2024-01-01T00:00:00.500Z', 4, [ID(9), ID(1)]], // before everything
    ['2024-01-01T00:00:02.000Z', 0, [ID(1), ID(2)]], // same instant as 1 and 2, an id below both
    ['2024-01-01T00:00:02.000Z', 1, [ID(2), ID(5)]], // same instant, id 1: was 1 itself (then deleted)
    ['2024-01-01T00:00:02.000Z', 4, [ID(5), ID(3)]], // same instant, an id between 2 and 5: after both
    ['2024-01-01T00:00:04.000Z', 8, []], // after everything
  ];
  const without = (n: number) => ALL.filter((r) => r.id !== ID(n));
  for (const [at, n, ids] of rows) {
    assert.deepEqual(pageOf(without(n), { limit: 2, marker: ID(n), markerCreatedAt: at }).items.map((r) => r.id), ids, `${at} ${n}`);
  }
  // a marker still listed is found by its id, whatever place is given
  assert.deepEqual(pageOf(ALL, { limit: 2, marker: ID(1), markerCreatedAt: '2030-01-01T00:00:00Z' }).items.map((r) => r.id), [ID(2), ID(5)]);
});

test('marker_created_at: only with marker, and an instant as the link gives it', () => {
  assert.deepEqual(listPage({ marker: ID(1), marker_created_at: '2024-01-01T00:00:02.000Z' }),
    { limit: LIST_PAGE_MAX, marker: ID(1), markerCreatedAt: '2024-01-01T00:00:02.000Z' });
  for (const q of [{ marker_created_at: '2024-01-01T00:00:02.000Z' }, { marker: ID(1), marker_created_at: 'yesterday' },
    { marker: ID(1), marker_created_at: '2024-01-01 00:00:02' }, { marker: ID(1), marker_created_at: ['a', 'b'] }, { marker: ID(1), marker_created_at: 'x'.repeat(5000) }]) {
    assert.throws(() => listPage(q), refusal('marker_created_at'), JSON.stringify(q).slice(0, 80));
  }
});

test('the next link: absolute, with the limit, the marker and its place', () => {
  assert.equal(nextLink('http://sm.example:8888', '/disco/', { limit: 2 }, rec(1, '2024-01-01T00:00:02.000Z')),
    `<http://sm.example:8888/disco/?limit=2&marker=${ID(1)}&marker_created_at=2024-01-01T00%3A00%3A02.000Z>; rel="next"`);
  assert.equal(nextLink('https://x/base', '/disco/', { limit: 1000, marker: ID(0) }, rec(3, '2024-01-01T00:00:04.000Z')),
    `<https://x/base/disco/?limit=1000&marker=${ID(3)}&marker_created_at=2024-01-01T00%3A00%3A04.000Z>; rel="next"`);
});
