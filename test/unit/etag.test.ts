// The validators of GET /disco/<id> (src/api/etag.ts) and the Host check (src/api/host.ts):
// a tag that changes whenever the rendering could, If-None-Match with weak comparison, `*`
// and lists; and a Host header that is a host and nothing else.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { entityTag, modelTag, noneMatchHolds, renderingKey, validatorHeaders, type RenderingOf } from '../../src/api/etag.js';
import { checkHost, hostOk, HOST_MAX } from '../../src/api/host.js';
import { DomainError } from '../../src/errors/domain-error.js';
import { FrameworkCatalog } from '../../src/frameworks/catalog.js';

const R: RenderingOf = { id: 'c0ffee', revision: 3, updatedAt: '2024-01-01T00:00:00.000Z', type: 'text/plain', secrets: true, model: 'm1' };
const BASE = 'http://127.0.0.1:8888';

test('the tag: weak, opaque, the same for the same rendering', () => {
  const t = entityTag(R, BASE)!;
  assert.match(t, /^W\/"[A-Za-z0-9_-]{22}"$/);
  assert.equal(entityTag({ ...R }, BASE), t);
  assert.ok(!t.includes('c0ffee') && !t.includes('127.0.0.1'), 'nothing of the record or the host shows');
});

test('the tag changes whenever the rendering could', () => {
  const t = entityTag(R, BASE);
  const changed: [string, string | undefined][] = [
    ['revision', entityTag({ ...R, revision: 4 }, BASE)],
    ['updated_at', entityTag({ ...R, updatedAt: '2024-01-01T00:00:01.000Z' }, BASE)],
    ['id', entityTag({ ...R, id: 'c0ffef' }, BASE)],
    ['media type', entityTag({ ...R, type: 'text/occi' }, BASE)],
    ['json', entityTag({ ...R, type: 'application/occi+json' }, BASE)],
    ['no secrets', entityTag({ ...R, secrets: false }, BASE)],
    ['a caller class', entityTag({ ...R, secrets: 'reader' }, BASE)],
    ['another caller class', entityTag({ ...R, secrets: 'admin' }, BASE)],
    ['the model', entityTag({ ...R, model: 'm2' }, BASE)],
    ['the base URL', entityTag(R, 'http://other:8888')],
    ['https', entityTag(R, 'https://127.0.0.1:8888')],
  ];
  const all = new Set([t, ...changed.map(([, x]) => x)]);
  assert.equal(all.size, changed.length + 1, 'every change makes its own tag');
  // fields that run together cannot collide
  assert.notEqual(entityTag({ ...R, id: 'a b', type: 'c' }, BASE), entityTag({ ...R, id: 'a', type: 'b c' }, BASE));
});

test('no revision: no tag and no cache key', () => {
  assert.equal(entityTag({ ...R, revision: undefined }, BASE), undefined);
  assert.equal(renderingKey({ ...R, revision: undefined }), undefined);
});

test('the cache key is the tag without the base URL', () => {
  assert.equal(typeof renderingKey(R), 'string');
  assert.notEqual(renderingKey(R), renderingKey({ ...R, secrets: false }));
  assert.equal(renderingKey(R), renderingKey({ ...R }));
});

test('If-None-Match: weak comparison, lists, *, malformed members', () => {
  const t = entityTag(R, BASE)!;
  const opaque = t.slice(2);
  const other = entityTag({ ...R, revision: 9 }, BASE)!;
  const rows: [string | undefined, string | undefined, boolean][] = [
    [undefined, t, false],
    [t, t, true],
    [opaque, t, true], // the strong form of the same tag: weak comparison matches
    [`W/${opaque}`, `W/${opaque}`, true],
    [other, t, false],
    [`${other}, ${t}`, t, true],
    [`${other},${t}`, t, true],
    [` ${other} ,  ${opaque} `, t, true],
    ['*', t, true],
    ['*', undefined, true], // the record exists (no revision, so no tag): * holds
    [t, undefined, false],
    ['', t, false],
    [',,,', t, false],
    [opaque.slice(1, -1), t, false], // unquoted
    [`W/${opaque.slice(0, -1)}`, t, false], // unterminated
    ['"a"b"', '"a"b"', false],
    [`w/${opaque}`, t, false], // W/ is case-sensitive
    [`${'"x", '.repeat(2000)}${t}`, t, true],
  ];
  for (const [header, current, want] of rows) assert.equal(noneMatchHolds(header, current), want, `${header?.slice(0, 60)} vs ${current}`);
});

test('the model tag: the same for one catalog, short', () => {
  const c = FrameworkCatalog.load();
  assert.equal(modelTag(c), modelTag(c));
  assert.match(modelTag(c), /^[A-Za-z0-9_-]{16}$/);
});

test('validator headers: the tag, and caches keep the answer to its caller', () => {
  assert.deepEqual(validatorHeaders('W/"x"'), { 'Cache-Control': 'private, no-cache', Vary: 'Accept', ETag: 'W/"x"' });
  assert.deepEqual(validatorHeaders(undefined), { 'Cache-Control': 'private, no-cache', Vary: 'Accept' });
});

test('Host: a host name or address with an optional port; anything else is a 400 naming Host', () => {
  for (const h of [undefined, 'localhost', '127.0.0.1:8888', 'sm.example.org', 'SM.Example.ORG:443', 'disco_sm:8888', '[::1]:8888', '[2001:db8::1]', 'a'.repeat(HOST_MAX)]) {
    assert.equal(hostOk(h), true, String(h));
    assert.doesNotThrow(() => checkHost(h));
  }
  for (const h of ['', 'a'.repeat(HOST_MAX + 1), 'x'.repeat(100_000), 'evil.example/>; rel="next"', 'a b', 'a,b', 'a;b', '<a>', 'a"b',
    'user@host', 'host:', 'host:123456', 'host:port', '[::1', '[::1]x', '-', '.', 'héllo']) {
    assert.equal(hostOk(h), false, h.slice(0, 40));
  }
  for (const h of ['', 'a'.repeat(HOST_MAX + 1), 'x'.repeat(100_000), 'evil.example/>; rel="next"', 'a b', 'a,b', 'a;b', '<a>', 'a"b', 'user@host', 'host:123456', 'héllo']) {
    assert.throws(() => checkHost(h), (e: unknown) => e instanceof DomainError && e.code === 'INVALID' && e.attribute === 'Host' && e.message.length < 300, h.slice(0, 40));
  }
});
