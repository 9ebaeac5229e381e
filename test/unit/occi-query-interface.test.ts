// The query interface as existing OCCI clients read it: OCCI Core's own kinds (entity,
// resource, link) with their attributes in every rendering and through the Category filter,
// and no ';' in any Category's title (several clients split a Category's parameters on ';'
// even inside quotes), over the whole rendered query interface and a cluster's rendering.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertValid } from '../helpers/occi-schema.js';
import { CORE_KINDS, CORE_SCHEME, categoryTitle, queryInterface } from '../../src/occi/discovery.js';
import {
  filterDiscovery, parseCategories, parseCategory, renderDiscovery, renderEntity,
  type Discovery, type EntityView, type MediaType,
} from '../../src/occi/index.js';
import { ACTIONS, DISCO_KIND, discovery, frameworkMixins } from '../../src/disco-kind/kind.js';
import { FrameworkCatalog } from '../../src/frameworks/catalog.js';

const catalog = FrameworkCatalog.load();
const model = discovery(catalog);
const TYPES: MediaType[] = ['text/plain', 'text/occi', 'application/occi+json'];

/** The Category values of a text rendering: body lines (text/plain) or header lines (text/occi). */
function categoryValues(type: MediaType, d: Discovery = model): string[] {
  const r = renderDiscovery(d, type);
  if (type === 'text/occi') return [r.headers.Category ?? []].flat();
  return r.body.split('\n').filter((l) => l !== '').map((l) => {
    assert.ok(l.startsWith('Category: '), l);
    return l.slice('Category: '.length);
  });
}

interface JsonKind { term: string; scheme: string; title: string; parent?: string; location?: string; attributes: Record<string, { mutable: boolean; required: boolean }> }
const json = (d: Discovery = model) => JSON.parse(renderDiscovery(d, 'application/occi+json').body) as { kinds: JsonKind[]; mixins: { title: string }[]; actions: { title: string }[] };

test('OCCI Core\'s kinds are listed, with their own attributes and rel, in the text renderings', () => {
  for (const type of ['text/plain', 'text/occi'] as const) {
    const cats = categoryValues(type).map(parseCategory);
    const core = cats.filter((c) => c.scheme === CORE_SCHEME);
    assert.deepEqual(core, [
      { term: 'entity', scheme: CORE_SCHEME, class: 'kind', title: 'Entity', attributes: ['occi.core.id{immutable}', 'occi.core.title'] },
      { term: 'resource', scheme: CORE_SCHEME, class: 'kind', title: 'Resource', rel: [`${CORE_SCHEME}entity`], attributes: ['occi.core.summary'] },
      { term: 'link', scheme: CORE_SCHEME, class: 'kind', title: 'Link', rel: [`${CORE_SCHEME}entity`], attributes: ['occi.core.source{required}', 'occi.core.target{required}'] },
    ], type);
    const disco = cats.find((c) => c.term === 'disco' && c.class === 'kind');
    assert.deepEqual(disco?.rel, [`${CORE_SCHEME}resource`], 'disco\'s parent is now listed too');
  }
  const plain = renderDiscovery(model, 'text/plain').body;
  assert.ok(plain.startsWith(`Category: entity; scheme="${CORE_SCHEME}"; class="kind"; title="Entity"; attributes="occi.core.id{immutable} occi.core.title"\n`), plain.slice(0, 200));
});

test('OCCI Core\'s kinds in application/occi+json: schema-valid, no location', () => {
  const doc = json();
  assertValid('kind_collection', { kinds: doc.kinds });
  assertValid('model', doc);
  const byTerm = new Map(doc.kinds.map((k) => [k.term, k]));
  assert.deepEqual(doc.kinds.map((k) => k.term), ['entity', 'resource', 'link', 'disco']);
  assert.deepEqual(byTerm.get('entity'), {
    term: 'entity', scheme: CORE_SCHEME, title: 'Entity', actions: [],
    attributes: {
      'occi.core.id': { mutable: false, required: false, type: 'string', description: 'the id of the entity' },
      'occi.core.title': { mutable: true, required: false, type: 'string', description: 'the title of the entity' },
    },
  });
  assert.equal(byTerm.get('resource')?.parent, `${CORE_SCHEME}entity`);
  assert.deepEqual(Object.keys(byTerm.get('resource')!.attributes), ['occi.core.summary']);
  assert.equal(byTerm.get('link')?.parent, `${CORE_SCHEME}entity`);
  assert.deepEqual(Object.keys(byTerm.get('link')!.attributes), ['occi.core.source', 'occi.core.target']);
  assert.equal(byTerm.get('link')?.attributes['occi.core.target']?.required, true);
  for (const k of CORE_KINDS) assert.equal(byTerm.get(k.term)?.location, undefined, k.term);
  assert.equal(byTerm.get('disco')?.location, '/disco/');
});

test('the Category filter finds OCCI Core\'s kinds', () => {
  const f = filterDiscovery(model, parseCategories([`entity; scheme="${CORE_SCHEME}"; class="kind", link; scheme="${CORE_SCHEME}"; class="kind"`]));
  assert.deepEqual(f.kinds.map((k) => k.term), ['entity', 'link']);
  assert.deepEqual([f.mixins, f.actions], [[], []]);
  for (const type of TYPES) {
    const r = renderDiscovery(filterDiscovery(model, parseCategories([`resource; scheme="${CORE_SCHEME}"; class="kind"`])), type);
    const text = type === 'text/occi' ? String(r.headers.Category) : r.body;
    assert.ok(text.includes('resource') && !text.includes('disco') && !text.includes('"entity"'), `${type}: ${text}`);
  }
  // a scheme that only looks like core's finds nothing
  assert.deepEqual(filterDiscovery(model, parseCategories(['entity; scheme="http://schemas.ogf.org/occi/core/#"; class="kind"'])).kinds, []);
});

test('no Category title of the query interface holds a ";", in any rendering', () => {
  const titles = [...model.kinds, ...model.mixins, ...model.actions].map((c) => c.title);
  assert.ok(titles.length >= 3 + 1 + 6 + 3);
  for (const t of titles) assert.ok(!t.includes(';'), t);
  for (const type of ['text/plain', 'text/occi'] as const) {
    const values = categoryValues(type);
    assert.equal(values.length, titles.length);
    for (const v of values) {
      // a client that splits on ';' whatever the quotes still reads whole parameters
      const [term, ...params] = v.split(';');
      assert.equal(parseCategory(v).term, term?.trim());
      for (const p of params) assert.match(p, /^ [a-z]+="[^"]*"$/, `${type}: ${p} in ${v}`);
      assert.ok(!(parseCategory(v).title ?? '').includes(';'), v);
    }
  }
  const doc = json();
  for (const t of [...doc.kinds, ...doc.mixins, ...doc.actions].map((c) => c.title)) assert.ok(!t.includes(';'), t);
});

test('the framework mixins\' titles: the manifest\'s description and version, no ";"', () => {
  const mixins = frameworkMixins(catalog);
  const bootstrap = mixins.find((m) => m.term === 'bootstrap')!;
  assert.match(bootstrap.title, /\(\S+, applied to every cluster\)$/);
  for (const m of mixins) {
    const f = catalog.get(m.term)!;
    assert.ok(m.title.includes(f.version), m.title);
    assert.ok(!m.title.includes(';'), m.title);
  }
});

test('a cluster\'s rendering carries the same safe titles', () => {
  const view: EntityView = {
    kind: DISCO_KIND, mixins: frameworkMixins(catalog), id: 'c0ffee', location: '/disco/c0ffee',
    attributes: [['occi.core.id', 'c0ffee']], actions: ACTIONS,
  };
  const plain = renderEntity(view, 'text/plain', 'http://h').body;
  const occi = renderEntity(view, 'text/occi', 'http://h');
  const cats = [...plain.split('\n').filter((l) => l.startsWith('Category: ')).map((l) => l.slice(10)), ...[occi.headers.Category ?? []].flat()];
  assert.equal(cats.length, 2 * (1 + frameworkMixins(catalog).length));
  for (const v of cats) for (const p of v.split(';').slice(1)) assert.match(p, /^ [a-z]+="[^"]*"$/, v);
});

test('by construction: queryInterface takes ";" out of every title and adds Core\'s kinds once', () => {
  const d = queryInterface({
    kinds: [{ ...DISCO_KIND, title: 'a; b' }, { ...CORE_KINDS[0]!, title: 'My entity;' }],
    mixins: [{ term: 'm', scheme: 'http://x#', title: ';;m ; n;', attributes: [] }],
    actions: [{ term: 'go', scheme: 'http://x#', title: 'go;now', attributes: [] }],
  });
  assert.deepEqual(d.kinds.map((k) => [k.term, k.title]), [['resource', 'Resource'], ['link', 'Link'], ['disco', 'a - b'], ['entity', 'My entity']]);
  assert.deepEqual(d.mixins.map((m) => m.title), ['m - n']);
  assert.deepEqual(d.actions.map((a) => a.title), ['go - now']);
  for (const v of categoryValues('text/plain', d)) for (const p of v.split(';').slice(1)) assert.match(p, /^ [a-z]+="[^"]*"$/, v);
  assert.equal(categoryTitle('no semicolon, here'), 'no semicolon, here');
  assert.equal(categoryTitle('x;y'), 'x - y');
});
