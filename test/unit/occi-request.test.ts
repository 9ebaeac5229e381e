// parseOcciRequest: text/occi headers (as Node hands them over), text/plain bodies, JSON
// bodies, 415 for unsupported bodies, and no crash (only 4xx OcciErrors) on garbage.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OcciError, UnsupportedMediaTypeError, parseOcciRequest, type OcciRequest } from '../../src/occi/index.js';

const SM = 'http://schemas.cloudcomplab.ch/occi/sm#';
const CAT = `disco; scheme="${SM}"; class="kind";`;

const plain = (r: OcciRequest) => ({
  categories: r.categories, attributes: [...r.attributes], links: r.links.map((l) => ({ ...l, attributes: [...l.attributes] })), locations: r.locations,
});

test('text/occi: the ICCLab create request as Node gives it (lower-cased names)', () => {
  const r = parseOcciRequest({
    contentType: 'text/occi',
    headers: {
      category: CAT,
      'x-occi-attribute': 'icclab.disco.components.heat.slavecount="2", icclab.disco.dependencies.inject="{\'hadoop\':\'\'}"',
      'x-auth-token': 'secret',
    },
  });
  assert.deepEqual(plain(r), {
    categories: [{ term: 'disco', scheme: SM, class: 'kind' }],
    attributes: [['icclab.disco.components.heat.slavecount', '2'], ['icclab.disco.dependencies.inject', "{'hadoop':''}"]],
    links: [],
    locations: [],
  });
});

test('header names are case-insensitive; repeated (array) and comma-joined headers agree', () => {
  const joined = parseOcciRequest({ headers: { 'X-OCCI-Attribute': 'a="1, 2", b=3', Category: CAT, 'X-OCCI-Location': '/disco/1, /disco/2' } });
  const repeated = parseOcciRequest({ headers: { 'x-occi-attribute': ['a="1, 2"', 'b=3'], category: [CAT], 'x-occi-location': ['/disco/1', '/disco/2'] } });
  assert.deepEqual(plain(joined), plain(repeated));
  assert.deepEqual([...joined.attributes], [['a', '1, 2'], ['b', 3]]);
  assert.deepEqual(joined.locations, ['/disco/1', '/disco/2']);
});

test('missing Content-Type and no body: headers are read', () => {
  const r = parseOcciRequest({ headers: { category: CAT } });
  assert.equal(r.categories[0]?.term, 'disco');
  assert.equal(r.attributes.size, 0);
});

test('text/plain: lines in the body (with charset, CRLF, blank lines, comma-joined lines) plus headers', () => {
  const body = [
    `Category: ${CAT}`,
    '',
    'X-OCCI-Attribute: a="x, y", b=2',
    'x-occi-attribute: c=true',
    'Link: </disco/9>; rel="http://x#l"',
    'X-OCCI-Location: /disco/1',
    '',
  ].join('\r\n');
  const r = parseOcciRequest({ contentType: 'text/plain; charset=utf-8', headers: { 'x-occi-attribute': 'h="from header"' }, body });
  assert.deepEqual(plain(r), {
    categories: [{ term: 'disco', scheme: SM, class: 'kind' }],
    attributes: [['h', 'from header'], ['a', 'x, y'], ['b', 2], ['c', true]],
    links: [{ target: '/disco/9', rel: 'http://x#l', attributes: [] }],
    locations: ['/disco/1'],
  });
});

test('text/plain: a continuation line (leading blank) extends the previous line', () => {
  const r = parseOcciRequest({ contentType: 'text/plain', headers: {}, body: 'X-OCCI-Attribute: a=1,\n  b="two"\n' });
  assert.deepEqual([...r.attributes], [['a', 1], ['b', 'two']]);
});

test('text/plain: an unknown line is a 400 naming the line', () => {
  assert.throws(() => parseOcciRequest({ contentType: 'text/plain', headers: {}, body: `Category: ${CAT}\nhello world\n` }),
    (e: unknown) => e instanceof OcciError && e.code === 'OCCI_PARSE' && /text\/plain body line 2: .*"hello world"/.test(e.message));
});

test('415 for an unknown or missing Content-Type with a body; empty body is fine', () => {
  for (const [ct, name] of [['application/x-www-form-urlencoded', /"application\/x-www-form-urlencoded"/], [undefined, /needs a Content-Type/]] as const) {
    assert.throws(() => parseOcciRequest({ contentType: ct, headers: {}, body: 'a=1' }), (e: unknown) => {
      assert.ok(e instanceof UnsupportedMediaTypeError);
      assert.equal(e.code, 'OCCI_UNSUPPORTED_MEDIA_TYPE');
      assert.match(e.message, name);
      assert.match(e.message, /supported: text\/occi, text\/plain, application\/occi\+json/);
      return true;
    });
  }
  const r = parseOcciRequest({ contentType: 'application/x-www-form-urlencoded', headers: { category: CAT }, body: '' });
  assert.equal(r.categories.length, 1);
  // the Content-Type header is used when contentType is not given
  assert.throws(() => parseOcciRequest({ headers: { 'content-type': 'image/png' }, body: 'x' }), UnsupportedMediaTypeError);
});

test('text/occi ignores the body', () => {
  const r = parseOcciRequest({ contentType: 'text/occi', headers: { category: CAT }, body: 'not occi at all' });
  assert.equal(r.categories.length, 1);
});

test('application/occi+json: a resource', () => {
  const r = parseOcciRequest({
    contentType: 'application/occi+json',
    headers: {},
    body: JSON.stringify({
      kind: `${SM}disco`, mixins: ['http://x/tpl#small'], title: 'my cluster',
      attributes: { 'icclab.disco.components.heat.slavecount': 2, 'icclab.disco.dependencies.inject': { hadoop: '', spark: '2.2.0' } },
      links: [{ kind: 'http://x#l', id: 'l1', target: { location: '/disco/9' }, source: { location: '/disco/1' }, rel: 'http://x#r' }],
    }),
  });
  assert.deepEqual(plain(r), {
    categories: [{ term: 'disco', scheme: SM, class: 'kind' }, { term: 'small', scheme: 'http://x/tpl#', class: 'mixin' }],
    attributes: [['icclab.disco.components.heat.slavecount', 2], ['icclab.disco.dependencies.inject', '{"hadoop":"","spark":"2.2.0"}'], ['occi.core.title', 'my cluster']],
    links: [{ target: '/disco/9', rel: 'http://x#r', category: 'http://x#l', self: 'l1', attributes: [] }],
    locations: [],
  });
});

test('application/occi+json: an action invocation; bad JSON bodies are 400', () => {
  const r = parseOcciRequest({ contentType: 'application/json', headers: {}, body: `{"action": "${SM}action#scale", "attributes": {"count": 3}}` });
  assert.deepEqual(plain(r).categories, [{ term: 'scale', scheme: `${SM}action#`, class: 'action' }]);
  assert.deepEqual([...r.attributes], [['count', 3]]);
  for (const [body, re] of [
    ['{', /invalid JSON/], ['[]', /expected a resource or action invocation/], ['{"kind": "disco"}', /kind must be a type identifier/],
    ['{"action": "x#y", "attributes": {"a": null}}', /attribute a has no value/], ['{"title": "x"}', /expected a resource \(with "kind"\)/],
  ] as const) {
    assert.throws(() => parseOcciRequest({ contentType: 'application/occi+json', headers: {}, body }),
      (e: unknown) => e instanceof OcciError && e.code === 'OCCI_PARSE' && re.test(e.message), body);
  }
});

test('garbage never crashes: every failure is a 4xx OcciError', () => {
  let seed = 42;
  const rnd = (n: number): number => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed % n; };
  const alphabet = 'ab1.=;,"\\<> {}\n\r\t:#-_/é\u0000';
  const garbage = (): string => Array.from({ length: rnd(40) }, () => alphabet[rnd(alphabet.length)]).join('');
  const prefixes = ['Category: ', 'X-OCCI-Attribute: ', 'Link: ', 'X-OCCI-Location: ', ''];
  let failures = 0;
  for (let i = 0; i < 3000; i++) {
    const g = garbage();
    const inputs = [
      { headers: { category: g } }, { headers: { 'x-occi-attribute': g } }, { headers: { link: g } }, { headers: { 'x-occi-location': g } },
      { contentType: 'text/plain', headers: {}, body: `${prefixes[rnd(prefixes.length)]}${g}` },
      { contentType: 'application/occi+json', headers: {}, body: g },
    ];
    for (const input of inputs) {
      try { parseOcciRequest(input); } catch (e) {
        failures++;
        assert.ok(e instanceof OcciError, `${JSON.stringify(input)} threw ${String(e)}`);
        assert.ok(['OCCI_PARSE', 'OCCI_UNSUPPORTED_MEDIA_TYPE'].includes(e.code), e.code);
      }
    }
  }
  assert.ok(failures > 1000, 'the generator produces invalid input');
});
