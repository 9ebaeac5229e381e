// Lists that scale and pollers that cost little, over HTTP: GET /disco/ in pages (limit,
// marker, Link rel="next", a stable order, 400s naming the parameter), GET /disco/<id> with
// an ETag and If-None-Match answered 304 (never before the caller is known and owns the
// cluster), and the Host header bounded. The worker is not started: records provision nothing.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import request, { type Response } from 'supertest';
import type { AddressInfo } from 'node:net';
import { DiscoClient } from '../../src/client/client.js';
import { cloud } from '../helpers/cloud.js';
import { createCluster, inProcess, passwordHeaders } from '../helpers/service.js';

const { service } = inProcess();
const api = request(service.app);
// one Host for every request: supertest listens on a new port each time, and the base URL is part of the ETag
const demo = { ...passwordHeaders('demo'), Host: 'sm.test:8888' };
const other = passwordHeaders('other');
const made: string[] = [];
let path = '';

before(async () => {
  path = await createCluster(service.app, demo);
  const first = (await service.store.get(path.split('/')[2]!))!;
  made.push(first.id);
  // four more of the same project, made without the cloud: two at one instant (then by id), one
  // older than the first, one newer
  const at = (ms: number) => new Date(Date.parse(first.createdAt) + ms).toISOString();
  for (const createdAt of [at(1000), at(1000), at(-1000), at(2000)]) {
    const id = randomUUID();
    await service.store.create({ ...first, id, createdAt, revision: undefined } as typeof first);
    made.push(id);
  }
});
after(async () => {
  for (const id of made) await service.store.delete(id);
  await service.close();
});

const idsOf = (text: string): string[] => text.split('\n').filter((l) => l !== '').map((l) => l.replace(/^X-OCCI-Location: /, '').split('/').pop()!);

async function expectedOrder(): Promise<string[]> {
  const recs = await Promise.all(made.map(async (id) => (await service.store.get(id))!));
  return recs.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : 1)).map((r) => r.id);
}

test('GET /disco/ without paging lists the project\'s clusters in a stable order, no Link', async () => {
  const r = await api.get('/disco/').set(demo);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(idsOf(r.text), await expectedOrder());
  assert.equal(r.headers.link, undefined);
  const again = await api.get('/disco').set(demo);
  assert.equal(again.text, r.text, 'the same order every time');
});

test('pages: limit, Link rel="next" with an absolute URL, marker; every cluster once, in order', async () => {
  for (const accept of ['text/plain', 'text/uri-list', 'text/occi', 'application/occi+json']) {
    const seen: string[] = [];
    let url: string | undefined = '/disco/?limit=2';
    let pages = 0;
    while (url !== undefined) {
      const r: Response = await api.get(url).set(demo).set('Accept', accept);
      assert.equal(r.status, 200, `${accept} ${url}: ${r.text}`);
      const ids = accept === 'application/occi+json' ? (JSON.parse(r.text) as { resources: { id: string }[] }).resources.map((x) => x.id)
        : accept === 'text/occi' ? idsOf([r.headers['x-occi-location'] ?? []].flat().join('\n').replace(/, /g, '\n')) : idsOf(r.text);
      assert.ok(ids.length <= 2 && ids.length > 0, `${accept}: ${ids.length}`);
      seen.push(...ids);
      pages++;
      const link = r.headers.link as string | undefined;
      if (link === undefined) { url = undefined; continue; }
      const m = /^<(http:\/\/sm\.test:8888\/disco\/\?limit=2&marker=([0-9a-f-]{36})&marker_created_at=[\dT%A.Z-]+)>; rel="next"$/.exec(link);
      assert.ok(m, link);
      assert.equal(m[2], ids.at(-1));
      url = new URL(m[1]!).pathname + new URL(m[1]!).search;
    }
    assert.equal(pages, 3, accept);
    assert.deepEqual(seen, await expectedOrder(), accept);
  }
});

test('the client\'s list survives the marker cluster deleted between two pages: every other cluster once, in order', async () => {
  const server = service.app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  try {
    const token = (await cloud('demo').session.token()).value;
    // a cluster of this test's own, second in the order: the one removed
    const firstRec = (await service.store.get((await expectedOrder())[0]!))!;
    const extra = randomUUID();
    await service.store.create({ ...firstRec, id: extra, createdAt: new Date(Date.parse(firstRec.createdAt) + 1).toISOString(), revision: undefined } as typeof firstRec);
    made.push(extra);
    const order = await expectedOrder();
    assert.equal(order[1], extra);
    let pages = 0;
    let gone: string | undefined;
    // after the first page, its last cluster (the next page's marker) is removed from the store
    const doFetch: typeof fetch = async (url, init) => {
      const res = await fetch(url, init);
      if (++pages === 1) { gone = order[1]!; await service.store.delete(gone); }
      return res;
    };
    const client = new DiscoClient({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, auth: { token }, fetch: doFetch });
    const listed = (await client.list({ pageSize: 2 })).map((c) => c.id);
    assert.ok(pages >= 3, `${pages} pages`);
    assert.deepEqual(listed, order, 'the first page had it; none of the others is lost or listed twice');
    assert.equal((await service.store.get(gone!)), undefined);
    made.splice(made.indexOf(gone!), 1);
  } finally {
    server.closeAllConnections();
    server.close();
  }
});

test('without SM_PUBLIC_URL the Link is built on the request\'s Host', async () => {
  const r = await api.get('/disco/?limit=1').set(demo).set('Host', 'sm.example.org:8443');
  assert.match(r.headers.link as string, /^<http:\/\/sm\.example\.org:8443\/disco\/\?limit=1&marker=/);
});

test('bad limit or marker: 400 naming it; an unknown marker too', async () => {
  for (const [q, name] of [['limit=0', 'limit'], ['limit=1001', 'limit'], ['limit=ten', 'limit'], ['limit=1&limit=2', 'limit'],
    ['limit=-1', 'limit'], ['marker=nope', 'marker'], [`marker=${randomUUID()}`, 'marker'], ['marker=', 'marker']] as const) {
    const r = await api.get(`/disco/?${q}`).set(demo);
    assert.equal(r.status, 400, `${q}: ${r.text}`);
    assert.match(r.text, new RegExp(`^${name}: expected`), q);
  }
  // another project's cluster is no marker of this list
  const theirs = await api.get(`/disco/?marker=${made[0]}`).set(other);
  assert.equal(theirs.status, 400, theirs.text);
  assert.match(theirs.text, /^marker: /);
});

test('paging needs credentials first: 401 without them, whatever the query', async () => {
  assert.equal((await api.get('/disco/?limit=0')).status, 401);
  assert.equal((await api.get(`/disco/?limit=1&marker=${made[0]}`)).status, 401);
});

test('GET /disco/<id>: an ETag; If-None-Match with it, *, or in a list is 304 with no body', async () => {
  const r = await api.get(path).set(demo);
  assert.equal(r.status, 200);
  const tag = r.headers.etag as string;
  assert.match(tag, /^W\/"[A-Za-z0-9_-]+"$/);
  assert.equal(r.headers['cache-control'], 'private, no-cache');
  for (const inm of [tag, tag.slice(2), '*', `W/"nope", ${tag}`]) {
    const n = await api.get(path).set(demo).set('If-None-Match', inm);
    assert.equal(n.status, 304, inm);
    assert.equal(n.text, '');
    assert.equal(n.headers.etag, tag);
    assert.equal(n.headers['content-length'], undefined);
  }
  const head = await api.head(path).set(demo).set('If-None-Match', tag);
  assert.equal(head.status, 304);
  for (const inm of ['W/"nope"', '"x", "y"', 'garbage']) {
    const full = await api.get(path).set(demo).set('If-None-Match', inm);
    assert.equal(full.status, 200, inm);
    assert.equal(full.text, r.text);
  }
});

test('the ETag changes with the media type and the base URL', async () => {
  const plain = (await api.get(path).set(demo)).headers.etag as string;
  const json = await api.get(path).set(demo).set('Accept', 'application/occi+json');
  assert.notEqual(json.headers.etag, plain);
  assert.equal((await api.get(path).set(demo).set('Accept', 'application/occi+json').set('If-None-Match', plain)).status, 200, 'a text tag is no JSON tag');
  assert.equal((await api.get(path).set(demo).set('Accept', 'application/occi+json').set('If-None-Match', json.headers.etag as string)).status, 304);
  const elsewhere = await api.get(path).set(demo).set('Host', 'other.example:8888');
  assert.equal(elsewhere.status, 200);
  assert.notEqual(elsewhere.headers.etag, plain);
  assert.equal(elsewhere.text, (await api.get(path).set(demo)).text, 'the same body: entity renderings hold relative locations');
});

test('a change to the cluster changes its ETag', async () => {
  const before = (await api.get(path).set(demo)).headers.etag as string;
  const u = await api.post(path).set(demo).set('Content-Type', 'text/occi').set('X-OCCI-Attribute', 'icclab.disco.lifetime=3600');
  assert.equal(u.status, 200, u.text);
  const r = await api.get(path).set(demo).set('If-None-Match', before);
  assert.equal(r.status, 200);
  assert.match(r.text, /icclab\.disco\.lifetime=3600/);
  assert.notEqual(r.headers.etag, before);
});

test('never 304 (nor 200) before the caller is known and owns the cluster', async () => {
  const tag = (await api.get(path).set(demo)).headers.etag as string;
  for (const inm of [tag, '*']) {
    const anon = await api.get(path).set('If-None-Match', inm);
    assert.equal(anon.status, 401, inm);
    assert.equal(anon.headers.etag, undefined);
    const theirs = await api.get(path).set(other).set('If-None-Match', inm);
    assert.equal(theirs.status, 404, inm);
    assert.equal(theirs.headers.etag, undefined);
    const wrong = await api.get(path).set({ ...demo, 'X-Password': 'wrong-password' }).set('If-None-Match', inm);
    assert.equal(wrong.status, 401, inm);
  }
  const gone = await api.get(`/disco/${randomUUID()}`).set(demo).set('If-None-Match', '*');
  assert.equal(gone.status, 404, '* holds only for a cluster that exists');
});

test('an absurd Host is a 400 naming Host, on the list and on a cluster', async () => {
  for (const host of ['x'.repeat(300), 'evil.example/>; rel="next"', 'a b', 'a,b']) {
    for (const p of ['/disco/', path]) {
      const r = await api.get(p).set(demo).set('Host', host);
      assert.equal(r.status, 400, `${p} ${host.slice(0, 30)}: ${r.text}`);
      assert.match(r.text, /^Host: expected a host name or address/);
    }
  }
});
