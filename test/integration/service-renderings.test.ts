// The service's renderings end to end: every media type, negotiation with q-values, 406,
// /-/ equal to .well-known, Category filtering, and every JSON rendering valid against its
// OCCI 1.2 schema definition. The worker is not started: records here provision nothing.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import request from 'supertest';
import { assertValid } from '../helpers/occi-schema.js';
import { createCluster, inProcess, passwordHeaders } from '../helpers/service.js';

const { service } = inProcess();
const api = request(service.app);
const demo = passwordHeaders('demo');
const JSON_TYPE = 'application/occi+json';
let path = '';

before(async () => { path = await createCluster(service.app, demo); });
after(async () => { await service.close(); });

test('every response names OCCI/1.1 in its Server header', async () => {
  for (const r of [await api.get('/-/'), await api.get(path).set(demo), await api.get('/nowhere'), await api.get('/disco/')]) {
    assert.match(String(r.headers.server), /OCCI\/1\.1/);
  }
});

test('the query interface: text/plain by default, identical at .well-known', async () => {
  for (const accept of [undefined, '*/*', 'text/plain', 'text/occi', JSON_TYPE]) {
    const a = accept ? await api.get('/-/').set('Accept', accept) : await api.get('/-/');
    const b = accept ? await api.get('/.well-known/org/ogf/occi/-/').set('Accept', accept) : await api.get('/.well-known/org/ogf/occi/-/');
    assert.equal(a.status, 200);
    assert.equal(a.text, b.text, `same body for ${accept}`);
    assert.equal(a.headers['content-type'], b.headers['content-type']);
    assert.deepEqual(a.headers.category, b.headers.category);
  }
  const plain = await api.get('/-/');
  assert.match(plain.headers['content-type'] as string, /^text\/plain/);
  assert.ok(plain.text.includes('Category: disco; scheme="http://schemas.cloudcomplab.ch/occi/sm#"; class="kind"'));
  assert.ok(plain.text.includes('location="/disco/"'));
  assert.ok(plain.text.includes('icclab.disco.components.heat.slavecount '), 'mutable attributes are bare');
  assert.ok(plain.text.includes('occi.core.id{immutable}'));
  for (const t of ['scale', 'suspend', 'resume']) {
    assert.ok(plain.text.includes(`Category: ${t}; scheme="http://schemas.cloudcomplab.ch/occi/sm/action#"; class="action"`), t);
  }
  for (const f of ['hadoop', 'spark', 'zeppelin', 'jupyter', 'disco']) {
    assert.ok(plain.text.includes(`Category: ${f}; scheme="http://schemas.cloudcomplab.ch/occi/sm/framework#"; class="mixin"`), f);
  }
  const occi = await api.get('/-/').set('Accept', 'text/occi');
  assert.equal(occi.text, 'OK');
  assert.match(occi.headers['content-type'] as string, /^text\/occi/);
  assert.ok(String(occi.headers.category).includes('disco; scheme="http://schemas.cloudcomplab.ch/occi/sm#"; class="kind"'));
});

test('the query interface as JSON is schema-valid', async () => {
  const r = await api.get('/-/').set('Accept', JSON_TYPE);
  assert.match(r.headers['content-type'] as string, /^application\/occi\+json/);
  const doc = JSON.parse(r.text) as { kinds: unknown[]; mixins: unknown[]; actions: unknown[] };
  assertValid('kind_collection', { kinds: doc.kinds });
  assertValid('mixin_collection', { mixins: doc.mixins });
  assertValid('action_collection', { actions: doc.actions });
  assert.deepEqual((doc.kinds as { term: string }[]).map((k) => k.term), ['entity', 'resource', 'link', 'disco'], 'OCCI Core\'s kinds, then disco');
  assert.equal(doc.mixins.length, 6, 'five frameworks to ask for and bootstrap');
  assert.equal(doc.actions.length, 3);
});

test('Category filtering of the query interface', async () => {
  const r = await api.get('/-/').set('Category', 'scale; scheme="http://schemas.cloudcomplab.ch/occi/sm/action#"; class="action"');
  const lines = r.text.trim().split('\n');
  assert.equal(lines.length, 1, r.text);
  assert.match(lines[0]!, /^Category: scale;/);
  const two = await api.get('/-/').set('Accept', JSON_TYPE)
    .set('Category', 'disco; scheme="http://schemas.cloudcomplab.ch/occi/sm#"; class="kind", spark; scheme="http://schemas.cloudcomplab.ch/occi/sm/framework#"; class="mixin"');
  const doc = JSON.parse(two.text) as { kinds: { term: string }[]; mixins: { term: string }[]; actions: unknown[] };
  assert.deepEqual([doc.kinds.map((k) => k.term), doc.mixins.map((m) => m.term), doc.actions.length], [['disco'], ['spark'], 0]);
});

test('negotiation with q-values, and 406', async () => {
  const cases: [string, RegExp | number][] = [
    ['text/occi;q=0.5, application/occi+json', /^application\/occi\+json/],
    ['text/plain;q=0.1, text/occi;q=0.9', /^text\/occi/],
    ['application/json', /^application\/occi\+json/],
    ['text/*', /^text\/plain/],
    ['image/png', 406],
    ['text/plain;q=0, application/xml', 406],
  ];
  for (const [accept, want] of cases) {
    const r = await api.get(path).set(demo).set('Accept', accept);
    if (typeof want === 'number') assert.equal(r.status, want, accept);
    else { assert.equal(r.status, 200, accept); assert.match(r.headers['content-type'] as string, want, accept); }
  }
});

test('the cluster in every rendering', async () => {
  const plain = await api.get(path).set(demo);
  assert.ok(plain.text.startsWith('Category: disco; scheme="http://schemas.cloudcomplab.ch/occi/sm#"; class="kind"'));
  assert.ok(plain.text.includes(`Link: <${path}?action=scale>; rel="http://schemas.cloudcomplab.ch/occi/sm/action#scale"`));
  assert.match(plain.text, /X-OCCI-Attribute: ssh_private_key="-----BEGIN OPENSSH PRIVATE KEY-----\\n[^\n]*-----END OPENSSH PRIVATE KEY-----\\n"/);
  const occi = await api.get(path).set(demo).set('Accept', 'text/occi');
  assert.equal(occi.text, 'OK');
  assert.ok(String(occi.headers['x-occi-attribute']).includes(`occi.core.id="${path.split('/')[2]}"`));
  const json = await api.get(path).set(demo).set('Accept', JSON_TYPE);
  const doc = JSON.parse(json.text) as { id: string; kind: string; attributes: Record<string, unknown>; actions: string[]; mixins: string[] };
  assertValid('resource', doc);
  assert.equal(doc.id, path.split('/')[2]);
  assert.equal(doc.kind, 'http://schemas.cloudcomplab.ch/occi/sm#disco');
  assert.equal(doc.attributes['icclab.disco.state'], 'pending');
  assert.match(String(doc.attributes.ssh_private_key), /^-----BEGIN OPENSSH PRIVATE KEY-----\n/);
  assert.equal(doc.mixins.length, 5, 'hadoop, spark, zeppelin and jupyter were asked for; bootstrap goes to every cluster');
  assert.equal((await api.get(path).set(demo).set('Accept', 'text/uri-list')).status, 406, 'no uri-list for one cluster');
});

test('kept answers: a change shows at the next GET in every rendering; HEAD has no body; another project gets 404', async (t) => {
  // one listening server, so every request names the same Host (supertest's own server moves)
  const server = service.app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const api = request(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  t.after(() => { server.close(); });
  const id = path.split('/')[2]!;
  const message = (accept: string, text: string, headers: Record<string, unknown>): unknown => {
    if (accept === JSON_TYPE) return (JSON.parse(text) as { attributes: Record<string, unknown> }).attributes['icclab.disco.message'];
    const lines = accept === 'text/occi' ? String(headers['x-occi-attribute']).split(/,\s*(?=[\w.]+=)/) : text.split('\n');
    return lines.map((l) => /icclab\.disco\.message="([^"]*)"/.exec(l)?.[1]).find((m) => m !== undefined);
  };
  for (const accept of ['text/plain', 'text/occi', JSON_TYPE]) {
    const first = await api.get(path).set(demo).set('Accept', accept);
    const again = await api.get(path).set(demo).set('Accept', accept);
    assert.equal(again.text, first.text, accept);
    assert.deepEqual(again.headers['x-occi-attribute'], first.headers['x-occi-attribute'], accept);
    assert.equal(again.headers['content-type'], first.headers['content-type'], accept);
  }
  for (const [n, accept] of ['text/plain', 'text/occi', JSON_TYPE].entries()) {
    const said = `changed by the test, ${n}`;
    await service.store.update(id, (r) => ({ ...r, message: said }));
    for (const a of ['text/plain', 'text/occi', JSON_TYPE]) {
      const r = await api.get(path).set(demo).set('Accept', a);
      assert.equal(message(a, r.text, r.headers), said, `${a} after a change (last read as ${accept})`);
    }
  }
  const head = await api.head(path).set(demo);
  assert.equal(head.status, 200);
  assert.equal(head.text, undefined, 'no body');
  assert.match(String(head.headers['content-type']), /^text\/plain; charset=utf-8/);
  assert.equal((await api.get(path).set(passwordHeaders('other'))).status, 404, 'a kept answer is not given to another project');
});

test('the collection in every rendering', async () => {
  const plain = await api.get('/disco/').set(demo);
  assert.ok(plain.text.split('\n').some((l) => /^X-OCCI-Location: http:\/\/127\.0\.0\.1:\d+\/disco\/[0-9a-f-]{36}$/.test(l) && l.endsWith(path)));
  const uris = await api.get('/disco/').set(demo).set('Accept', 'text/uri-list');
  assert.match(uris.headers['content-type'] as string, /^text\/uri-list/);
  assert.ok(uris.text.split('\n').some((l) => l.endsWith(path) && l.startsWith('http://')));
  const occi = await api.get('/disco/').set(demo).set('Accept', 'text/occi');
  assert.ok(String(occi.headers['x-occi-location']).includes(path));
  const json = await api.get('/disco/').set(demo).set('Accept', JSON_TYPE);
  const doc = JSON.parse(json.text) as { resources: { id: string; attributes: Record<string, unknown> }[] };
  assertValid('resource_collection', doc);
  const mine = doc.resources.find((x) => path.endsWith(x.id));
  assert.ok(mine);
  assert.equal(mine.attributes.ssh_private_key, undefined, 'a listing never carries private keys');
  assert.equal((await api.get('/-/').set('Accept', 'text/uri-list')).status, 406);
});
