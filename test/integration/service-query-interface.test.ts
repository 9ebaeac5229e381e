// The query interface over HTTP as existing OCCI clients read it: OCCI Core's kinds in every
// rendering and through the Category filter, and Category values that a client splitting on
// ';' (even inside quotes) still reads whole. Needs no credentials and no cloud call.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import request from 'supertest';
import { inProcess } from '../helpers/service.js';

const { service } = inProcess();
const api = request(service.app);
after(async () => { await service.close(); });

const CORE = 'http://schemas.ogf.org/occi/core#';

/** Every Category value of an answer: text/plain body lines or text/occi header lines. */
const categories = (r: request.Response): string[] => (r.text === 'OK'
  ? [r.headers.category ?? []].flat().join(', ').split(/, (?=[a-z][\w.-]*; scheme=)/)
  : r.text.split('\n').filter((l) => l.startsWith('Category: ')).map((l) => l.slice(10)));

test('OCCI Core\'s kinds in every rendering, at both addresses', async () => {
  for (const path of ['/-/', '/.well-known/org/ogf/occi/-/']) {
    for (const accept of ['text/plain', 'text/occi']) {
      const cats = categories(await api.get(path).set('Accept', accept));
      for (const [term, rest] of [['entity', 'attributes="occi.core.id{immutable} occi.core.title"'],
        ['resource', `rel="${CORE}entity"; attributes="occi.core.summary"`],
        ['link', `rel="${CORE}entity"; attributes="occi.core.source{required} occi.core.target{required}"`]] as const) {
        assert.ok(cats.some((c) => c.startsWith(`${term}; scheme="${CORE}"; class="kind"; title=`) && c.endsWith(rest)), `${path} ${accept} ${term}: ${cats.join('\n')}`);
      }
    }
    const doc = JSON.parse((await api.get(path).set('Accept', 'application/occi+json')).text) as { kinds: { term: string; scheme: string }[] };
    assert.deepEqual(doc.kinds.map((k) => `${k.scheme}${k.term}`), [`${CORE}entity`, `${CORE}resource`, `${CORE}link`, 'http://schemas.cloudcomplab.ch/occi/sm#disco']);
  }
});

test('the Category filter finds them', async () => {
  const r = await api.get('/-/').set('Category', `link; scheme="${CORE}"; class="kind"`);
  assert.equal(r.status, 200);
  assert.deepEqual(categories(r).map((c) => c.split(';')[0]), ['link']);
  const j = await api.get('/-/').set('Accept', 'application/occi+json').set('Category', `entity; scheme="${CORE}"; class="kind"`);
  assert.deepEqual((JSON.parse(j.text) as { kinds: { term: string }[] }).kinds.map((k) => k.term), ['entity']);
});

test('no title holds a ";": split on ";" whatever the quotes, every parameter is whole', async () => {
  for (const accept of ['text/plain', 'text/occi']) {
    const cats = categories(await api.get('/-/').set('Accept', accept));
    assert.ok(cats.length >= 13, `${accept}: ${cats.length}`);
    for (const c of cats) for (const p of c.split(';').slice(1)) assert.match(p, /^ [a-z]+="[^"]*"$/, `${accept}: ${c}`);
  }
  const doc = JSON.parse((await api.get('/-/').set('Accept', 'application/occi+json')).text) as Record<string, { title: string }[]>;
  for (const c of [...doc.kinds!, ...doc.mixins!, ...doc.actions!]) assert.ok(!c.title.includes(';'), c.title);
});
