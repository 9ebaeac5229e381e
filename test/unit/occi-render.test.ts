// Renderings: text/plain and text/occi lines written by hand from the OCCI text rendering,
// round trips through the parsers, and every application/occi+json rendering validated against
// the OCCI 1.2 JSON Schema definitions (ajv-draft-04).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertInvalid, assertValid } from '../helpers/occi-schema.js';
import {
  NotAcceptableError, OCCI_SERVER_HEADER, filterDiscovery, parseAttributes, parseCategories, parseLinks, parseOcciRequest,
  renderCollection, renderDiscovery, renderEntity, renderError,
  type ActionDef, type Discovery, type EntityView, type KindDef, type MixinDef,
} from '../../src/occi/index.js';

const SM = 'http://schemas.cloudcomplab.ch/occi/sm#';
const ACT = 'http://schemas.cloudcomplab.ch/occi/sm/action#';
const BASE = 'http://127.0.0.1:8888';

const scale: ActionDef = {
  term: 'scale', scheme: ACT, title: 'Scale the workers',
  attributes: [{ name: 'count', type: 'number', required: true, mutable: true, description: 'workers' }],
};
const suspend: ActionDef = { term: 'suspend', scheme: ACT, title: 'Suspend', attributes: [] };
const disco: KindDef = {
  term: 'disco', scheme: SM, title: 'DISCO cluster', location: '/disco/', parent: 'http://schemas.ogf.org/occi/core#resource',
  attributes: [
    { name: 'occi.core.id', type: 'string', required: false, mutable: false },
    { name: 'occi.core.title', type: 'string', required: false, mutable: true },
    { name: 'icclab.disco.components.heat.slavecount', type: 'number', required: true, mutable: true, default: 1, pattern: '^[0-9]+$' },
    { name: 'stack_status', type: 'string', required: false, mutable: false },
  ],
  actions: [`${ACT}scale`, `${ACT}suspend`],
};
const small: MixinDef = { term: 'small', scheme: 'http://x/tpl#', title: 'Small, cheap', location: '/tpl/small/', attributes: [], depends: [`${SM}disco`] };
const discovery: Discovery = { kinds: [disco], mixins: [small], actions: [scale, suspend] };

const KEY = '-----BEGIN KEY-----\nab"c\\d\n-----END KEY-----';
const view: EntityView = {
  kind: disco, mixins: [small], id: 'c0ffee', location: '/disco/c0ffee', title: 'my cluster',
  attributes: [
    ['occi.core.id', 'c0ffee'], ['occi.core.title', 'my cluster'], ['icclab.disco.components.heat.slavecount', 2],
    ['ready', false], ['ssh_private_key', KEY], ['frameworks', { hadoop: '2.7.1' }], ['ports', [8088, 8080]], ['note', 'zürich'],
  ],
  actions: [scale],
};

const valid = assertValid;
const invalid = assertInvalid;

test('the schema validator really validates', () => {
  valid('resource', { kind: `${SM}disco`, id: 'x' });
  invalid('resource', { kind: `${SM}disco` });
  invalid('resource', { kind: `${SM}disco`, id: 'x', location: '/disco/x' });
  invalid('kind_collection', { kinds: [{ term: 'disco' }] });
  invalid('kind', { term: 'disco', scheme: SM, attributes: { a: { mutable: 'yes' } } });
});

test('server header constant', () => {
  assert.match(OCCI_SERVER_HEADER, /OCCI\/1\.1/);
});

test('entity as text/plain', () => {
  const r = renderEntity(view, 'text/plain', BASE);
  assert.equal(r.contentType, 'text/plain');
  assert.equal(r.body, [
    `Category: disco; scheme="${SM}"; class="kind"; title="DISCO cluster"`,
    'Category: small; scheme="http://x/tpl#"; class="mixin"; title="Small, cheap"',
    `Link: </disco/c0ffee?action=scale>; rel="${ACT}scale"`,
    'X-OCCI-Attribute: occi.core.id="c0ffee"',
    'X-OCCI-Attribute: occi.core.title="my cluster"',
    'X-OCCI-Attribute: icclab.disco.components.heat.slavecount=2',
    'X-OCCI-Attribute: ready=false',
    'X-OCCI-Attribute: ssh_private_key="-----BEGIN KEY-----\\nab\\"c\\\\d\\n-----END KEY-----"',
    'X-OCCI-Attribute: frameworks="{\\"hadoop\\":\\"2.7.1\\"}"',
    'X-OCCI-Attribute: ports="[8088,8080]"',
    'X-OCCI-Attribute: note="zürich"',
    '',
  ].join('\n'));
});

test('entity as text/occi: repeated headers, ASCII only, body OK', () => {
  const r = renderEntity(view, 'text/occi', BASE);
  assert.equal(r.contentType, 'text/occi');
  assert.equal(r.body, 'OK');
  assert.deepEqual(r.headers.Category, [
    `disco; scheme="${SM}"; class="kind"; title="DISCO cluster"`, 'small; scheme="http://x/tpl#"; class="mixin"; title="Small, cheap"']);
  assert.deepEqual(r.headers.Link, [`</disco/c0ffee?action=scale>; rel="${ACT}scale"`]);
  const attrs = r.headers['X-OCCI-Attribute'];
  assert.ok(Array.isArray(attrs));
  assert.equal(attrs.length, 8);
  assert.equal(attrs[7], 'note="z\\u00fcrich"');
  for (const v of attrs) assert.match(v, /^[\x20-\x7e]*$/);
});

test('round trips: text/plain and text/occi renderings parse back to the same values', () => {
  const expected = [
    ['occi.core.id', 'c0ffee'], ['occi.core.title', 'my cluster'], ['icclab.disco.components.heat.slavecount', 2], ['ready', false],
    ['ssh_private_key', KEY], ['frameworks', '{"hadoop":"2.7.1"}'], ['ports', '[8088,8080]'], ['note', 'zürich'],
  ];
  const p = parseOcciRequest({ contentType: 'text/plain', headers: {}, body: renderEntity(view, 'text/plain', BASE).body });
  assert.deepEqual([...p.attributes], expected);
  assert.deepEqual(p.categories.map((c) => [c.term, c.scheme, c.class, c.title]),
    [['disco', SM, 'kind', 'DISCO cluster'], ['small', 'http://x/tpl#', 'mixin', 'Small, cheap']]);
  assert.deepEqual(p.links.map((l) => [l.target, l.rel]), [['/disco/c0ffee?action=scale', `${ACT}scale`]]);
  const h = renderEntity(view, 'text/occi', BASE).headers;
  const q = parseOcciRequest({ contentType: 'text/occi', headers: { 'x-occi-attribute': h['X-OCCI-Attribute'], category: h.Category, link: h.Link } });
  assert.deepEqual([...q.attributes], expected);
  // Node joins repeated headers with ", ": the joined form must parse the same
  const joined = (h['X-OCCI-Attribute'] as string[]).join(', ');
  assert.deepEqual([...parseAttributes([joined])], expected);
});

test('entity as application/occi+json is a schema-valid resource', () => {
  const r = renderEntity(view, 'application/occi+json', BASE);
  assert.equal(r.contentType, 'application/occi+json');
  const doc = JSON.parse(r.body) as Record<string, unknown>;
  valid('resource', doc);
  assert.deepEqual(doc, {
    kind: `${SM}disco`, mixins: ['http://x/tpl#small'],
    attributes: {
      'occi.core.id': 'c0ffee', 'occi.core.title': 'my cluster', 'icclab.disco.components.heat.slavecount': 2, ready: false,
      ssh_private_key: KEY, frameworks: { hadoop: '2.7.1' }, ports: [8088, 8080], note: 'zürich',
    },
    actions: [`${ACT}scale`], id: 'c0ffee', links: [], title: 'my cluster',
  });
});

test('an entity as text/uri-list is 406', () => {
  assert.throws(() => renderEntity(view, 'text/uri-list', BASE), (e: unknown) => e instanceof NotAcceptableError && e.code === 'OCCI_NOT_ACCEPTABLE');
  assert.throws(() => renderDiscovery(discovery, 'text/uri-list'), NotAcceptableError);
});

test('collections: absolute URLs in text, uri-list and text/occi; resources in JSON', () => {
  const items = [{ location: '/disco/a', view: { ...view, id: 'a', location: '/disco/a' } }, { location: '/disco/b', view }];
  assert.equal(renderCollection(items, 'text/plain', BASE).body,
    'X-OCCI-Location: http://127.0.0.1:8888/disco/a\nX-OCCI-Location: http://127.0.0.1:8888/disco/b\n');
  const u = renderCollection(items, 'text/uri-list', BASE);
  assert.equal(u.contentType, 'text/uri-list');
  assert.equal(u.body, 'http://127.0.0.1:8888/disco/a\nhttp://127.0.0.1:8888/disco/b\n');
  const o = renderCollection(items, 'text/occi', BASE);
  assert.deepEqual(o.headers, { 'X-OCCI-Location': ['http://127.0.0.1:8888/disco/a', 'http://127.0.0.1:8888/disco/b'] });
  assert.equal(o.body, 'OK');
  const j = JSON.parse(renderCollection(items, 'application/occi+json', BASE).body) as { resources: { id: string }[] };
  valid('resource_collection', j);
  assert.deepEqual(j.resources.map((r) => r.id), ['a', 'c0ffee']);
  assert.equal(renderCollection([], 'text/plain', BASE).body, '');
  valid('resource_collection', JSON.parse(renderCollection([], 'application/occi+json', BASE).body));
  assert.throws(() => renderCollection([{ location: '/disco/a' }], 'application/occi+json', BASE), TypeError);
});

test('discovery as text/plain: full Category lines for kinds, mixins, actions', () => {
  const r = renderDiscovery(discovery, 'text/plain');
  assert.equal(r.body, [
    `Category: disco; scheme="${SM}"; class="kind"; title="DISCO cluster"; rel="http://schemas.ogf.org/occi/core#resource"; location="/disco/"; `
      + 'attributes="occi.core.id{immutable} occi.core.title icclab.disco.components.heat.slavecount{required} stack_status{immutable}"; '
      + `actions="${ACT}scale ${ACT}suspend"`,
    `Category: small; scheme="http://x/tpl#"; class="mixin"; title="Small, cheap"; rel="${SM}disco"; location="/tpl/small/"`,
    `Category: scale; scheme="${ACT}"; class="action"; title="Scale the workers"; attributes="count{required}"`,
    `Category: suspend; scheme="${ACT}"; class="action"; title="Suspend"`,
    '',
  ].join('\n'));
});

test('discovery as text/occi parses back, incl. {required immutable}', () => {
  const d: Discovery = { kinds: [{ ...disco, attributes: [{ name: 'x', type: 'string', required: true, mutable: false }] }], mixins: [], actions: [] };
  const r = renderDiscovery(d, 'text/occi');
  assert.equal(r.body, 'OK');
  const cats = parseCategories(r.headers.Category as string[]);
  assert.deepEqual(cats, [{
    term: 'disco', scheme: SM, class: 'kind', title: 'DISCO cluster', rel: ['http://schemas.ogf.org/occi/core#resource'],
    location: '/disco/', attributes: ['x{required immutable}'], actions: [`${ACT}scale`, `${ACT}suspend`],
  }]);
});

test('discovery as application/occi+json: schema-valid kinds, mixins, actions', () => {
  const doc = JSON.parse(renderDiscovery(discovery, 'application/occi+json').body) as Record<string, unknown[]>;
  valid('model', doc);
  valid('kind_collection', { kinds: doc.kinds });
  valid('mixin_collection', { mixins: doc.mixins });
  valid('action_collection', { actions: doc.actions });
  assert.deepEqual(doc.kinds?.[0], {
    term: 'disco', scheme: SM, title: 'DISCO cluster',
    attributes: {
      'occi.core.id': { mutable: false, required: false, type: 'string' },
      'occi.core.title': { mutable: true, required: false, type: 'string' },
      'icclab.disco.components.heat.slavecount': { mutable: true, required: true, type: 'number', default: 1, pattern: { type: 'string', pattern: '^[0-9]+$' } },
      stack_status: { mutable: false, required: false, type: 'string' },
    },
    actions: [`${ACT}scale`, `${ACT}suspend`], parent: 'http://schemas.ogf.org/occi/core#resource', location: '/disco/',
  });
  assert.deepEqual(doc.mixins?.[0], { term: 'small', scheme: 'http://x/tpl#', title: 'Small, cheap', attributes: {}, depends: [`${SM}disco`], location: '/tpl/small/' });
  assert.deepEqual(doc.actions?.[0], { term: 'scale', scheme: ACT, title: 'Scale the workers', attributes: { count: { mutable: true, required: true, type: 'number', description: 'workers' } } });
  // a mixin without location still validates (the schema requires one)
  const noLoc = JSON.parse(renderDiscovery({ kinds: [], mixins: [{ term: 'm', scheme: 'http://x#', title: '', attributes: [] }], actions: [] }, 'application/occi+json').body) as Record<string, unknown[]>;
  valid('mixin_collection', { mixins: noLoc.mixins });
});

test('filterDiscovery keeps the categories named by scheme+term', () => {
  const f = filterDiscovery(discovery, parseCategories([`disco; scheme="${SM}"; class="kind", scale; scheme="${ACT}"; class="action"`]));
  assert.deepEqual(f, { kinds: [disco], mixins: [], actions: [scale] });
  assert.deepEqual(filterDiscovery(discovery, []), discovery);
  assert.deepEqual(filterDiscovery(discovery, parseCategories([`disco; scheme="${ACT}"; class="kind"`])), { kinds: [], mixins: [], actions: [] });
});

test('errors', () => {
  assert.deepEqual(renderError(404, 'no such cluster', 'text/plain'), { status: 404, contentType: 'text/plain', headers: {}, body: 'no such cluster\n' });
  assert.deepEqual(renderError(400, 'bad', 'text/occi'), { status: 400, contentType: 'text/occi', headers: {}, body: 'bad\n' });
  assert.deepEqual(renderError(406, 'nope', undefined), { status: 406, contentType: 'text/plain', headers: {}, body: 'nope\n' });
  const j = renderError(409, 'busy', 'application/occi+json');
  assert.equal(j.status, 409);
  assert.deepEqual(JSON.parse(j.body), { error: { code: 409, message: 'busy' } });
});

test('action links parse back', () => {
  const links = parseLinks(renderEntity({ ...view, actions: [scale, suspend] }, 'text/occi', BASE).headers.Link as string[]);
  assert.deepEqual(links.map((l) => l.rel), [`${ACT}scale`, `${ACT}suspend`]);
});
