// The OCCI text grammar: quote-aware splitting, Category, X-OCCI-Attribute, Link and
// X-OCCI-Location values, as written in the OCCI 1.1/1.2 text renderings and by real clients.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  OcciParseError, parseAttributes, parseCategories, parseCategory, parseLinks, parseLocations, parseTypeId,
  splitOutsideQuotes, absoluteUrl, locationPath,
} from '../../src/occi/index.js';

const SM = 'http://schemas.cloudcomplab.ch/occi/sm#';

/** Asserts an OcciParseError whose message matches every pattern. */
function parseFails(fn: () => unknown, ...patterns: RegExp[]): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof OcciParseError, `expected OcciParseError, got ${String(e)}`);
    assert.equal(e.code, 'OCCI_PARSE');
    for (const p of patterns) assert.match(e.message, p);
    return true;
  });
}

const attrs = (...values: string[]) => Object.fromEntries(parseAttributes(values));

test('split: commas inside quoted strings and after escaped quotes are data', () => {
  assert.deepEqual(splitOutsideQuotes('a="x, y", b=2', ','), ['a="x, y"', 'b=2']);
  assert.deepEqual(splitOutsideQuotes('a="say \\"hi, there\\"", b="c:\\\\", c=1', ','),
    ['a="say \\"hi, there\\""', 'b="c:\\\\"', 'c=1']);
  assert.deepEqual(splitOutsideQuotes('t; scheme="s#"; title="a;b";', ';'), ['t', 'scheme="s#"', 'title="a;b"', '']);
  assert.deepEqual(splitOutsideQuotes('</a?x=1,2>; rel="r", </b>', ',', { angle: true }), ['</a?x=1,2>; rel="r"', '</b>']);
  // unterminated: the rest stays in one part
  assert.deepEqual(splitOutsideQuotes('a="x, b=2', ','), ['a="x, b=2']);
});

test('category: the ICCLab form with a trailing ";"', () => {
  assert.deepEqual(parseCategory(`disco; scheme="${SM}"; class="kind";`), { term: 'disco', scheme: SM, class: 'kind' });
});

test('category: unquoted class and scheme, upper-case class, extra blanks', () => {
  assert.deepEqual(parseCategory(`disco;scheme=${SM} ;  class=Kind`), { term: 'disco', scheme: SM, class: 'kind' });
});

test('category: full form with title, rel, location, attributes and actions', () => {
  const c = parseCategory(`disco; scheme="${SM}"; class="kind"; title="DISCO; clusters"; rel="http://schemas.ogf.org/occi/core#resource"; `
    + `location="/disco/"; attributes="occi.core.id{immutable required} a.b{required} c"; actions="${SM}a#scale ${SM}a#suspend"`);
  assert.deepEqual(c, {
    term: 'disco', scheme: SM, class: 'kind', title: 'DISCO; clusters', rel: ['http://schemas.ogf.org/occi/core#resource'],
    location: '/disco/', attributes: ['occi.core.id{immutable required}', 'a.b{required}', 'c'],
    actions: [`${SM}a#scale`, `${SM}a#suspend`],
  });
});

test('category: several in one header and in repeated headers give the same list', () => {
  const a = `disco; scheme="${SM}"; class="kind"`;
  const b = 'scale; scheme="http://x/action#"; class="action"; title="scale, up"';
  const joined = parseCategories([`${a}, ${b}`]);
  assert.deepEqual(joined, parseCategories([a, b]));
  assert.deepEqual(joined.map((c) => [c.term, c.class, c.title]), [['disco', 'kind', undefined], ['scale', 'action', 'scale, up']]);
});

test('category: errors name the problem', () => {
  parseFails(() => parseCategory('disco; class=kind'), /Category header: missing scheme in "disco; class=kind"/);
  parseFails(() => parseCategory(`disco; scheme="${SM}"`), /missing class/);
  parseFails(() => parseCategory(`disco; scheme="${SM}"; class="template"`), /invalid class "template"/, /kind, mixin or action/);
  parseFails(() => parseCategory(`-disco; scheme="${SM}"; class="kind"`), /invalid term "-disco"/);
  parseFails(() => parseCategory(`dis/co; scheme="${SM}"; class="kind"`), /invalid term "dis\/co"/);
  parseFails(() => parseCategory(`scheme="${SM}"; class="kind"`), /missing term/);
  parseFails(() => parseCategory(''), /missing term/);
  parseFails(() => parseCategory(`disco; scheme="${SM}; class=kind`), /Category header: unterminated quoted string in parameter scheme/);
  parseFails(() => parseCategory(`disco; scheme="${SM}; class="kind"`), /unexpected "kind"" after the quoted string in parameter scheme/);
  parseFails(() => parseCategory('disco; scheme="http://x/sm"; class="kind"'), /scheme "http:\/\/x\/sm" must end with "#"/);
  parseFails(() => parseCategory(`disco; scheme="${SM}"; kind`), /expected name="value" but found "kind"/);
});

test('type identifiers', () => {
  assert.deepEqual(parseTypeId(`${SM}disco`), { scheme: SM, term: 'disco' });
  assert.equal(parseTypeId('disco'), undefined);
  assert.equal(parseTypeId(`${SM}`), undefined);
});

test('attributes: strings, escapes, commas inside quotes, numbers, booleans, bare strings', () => {
  assert.deepEqual(attrs('a="x, y", b="say \\"hi\\"", c="back\\\\slash", d=12, e=-3, f=3.6, g=true, h=false, i=m1.small, j="12"'), {
    a: 'x, y', b: 'say "hi"', c: 'back\\slash', d: 12, e: -3, f: 3.6, g: true, h: false, i: 'm1.small', j: '12',
  });
});

test('attributes: lenient whitespace, empty items, \\n escapes, last value wins', () => {
  assert.deepEqual(attrs('  a = "1" ,b=  2 ,, ', 'a="line1\\nline2"'), { a: 'line1\nline2', b: 2 });
  const m = parseAttributes(['z=1, a=2, z=3']);
  assert.deepEqual([...m], [['z', 3], ['a', 2]]);
});

test('attributes: the ICCLab create request, one long header', () => {
  const header = 'icclab.disco.deployer.username="user", icclab.disco.deployer.password="pass", icclab.disco.deployer.region="RegionOne", '
    + 'icclab.disco.components.heat.masterimage="Ubuntu-Trusty-1404-7-10-2015", icclab.disco.components.heat.slaveimage="Ubuntu-Trusty-1404-7-10-2015", '
    + 'icclab.disco.components.heat.masterflavor="m1.small", icclab.disco.components.heat.slaveflavor="m1.small", '
    + 'icclab.disco.components.heat.slavecount="1", '
    + 'icclab.disco.dependencies.inject="{\'hadoop\':\'\',\'spark\':\'\',\'zeppelin\':\'\',\'jupyter\':\'\'}"';
  const m = parseAttributes([header]);
  assert.equal(m.size, 9);
  assert.equal(m.get('icclab.disco.dependencies.inject'), "{'hadoop':'','spark':'','zeppelin':'','jupyter':''}");
  assert.equal(m.get('icclab.disco.components.heat.slavecount'), '1');
  assert.equal(m.get('icclab.disco.deployer.region'), 'RegionOne');
  assert.equal(m.get('icclab.disco.components.heat.slaveimage'), 'Ubuntu-Trusty-1404-7-10-2015');
  // the same items as repeated header lines give the same map, in the same order
  const repeated = parseAttributes(splitOutsideQuotes(header, ','));
  assert.deepEqual([...repeated], [...m]);
});

test('attributes: errors name the attribute', () => {
  parseFails(() => attrs('icclab.disco.x="abc, d=1'), /X-OCCI-Attribute: unterminated quoted string in value of icclab\.disco\.x/);
  parseFails(() => attrs('a b="1"'), /invalid attribute name "a b"/);
  parseFails(() => attrs('$x=1'), /invalid attribute name "\$x"/);
  parseFails(() => attrs('=1'), /missing attribute name/);
  parseFails(() => attrs('justaword'), /expected name=value but found "justaword"/);
  parseFails(() => attrs('a="x"y'), /unexpected "y" after the quoted string in value of a/);
  parseFails(() => attrs('a=x"y"'), /stray quote in value of a/);
});

test('links: target, rel, self, category and attribute params; comma-joined or repeated', () => {
  const one = '</disco/1?action=scale>; rel="http://x/action#scale"; self="/link/a"; category="http://x#l"; n=2; s="a,b"';
  const two = '</network/x,y>;rel=http://x#net';
  const joined = parseLinks([`${one}, ${two}`]);
  assert.deepEqual(joined, parseLinks([one, two]));
  assert.equal(joined.length, 2);
  assert.equal(joined[0]?.target, '/disco/1?action=scale');
  assert.equal(joined[0]?.rel, 'http://x/action#scale');
  assert.equal(joined[0]?.self, '/link/a');
  assert.equal(joined[0]?.category, 'http://x#l');
  assert.deepEqual([...(joined[0]?.attributes ?? [])], [['n', 2], ['s', 'a,b']]);
  assert.equal(joined[1]?.target, '/network/x,y');
  assert.equal(joined[1]?.rel, 'http://x#net');
  parseFails(() => parseLinks(['/disco/1; rel="x"']), /Link header: expected <URI>/);
  parseFails(() => parseLinks(['</a> rel="x"']), /expected ";" after <\/a>/);
});

test('locations: comma-joined and repeated, absolute URLs and paths', () => {
  assert.deepEqual(parseLocations(['http://h/disco/1, /disco/2', '<http://h/disco/3>']), ['http://h/disco/1', '/disco/2', 'http://h/disco/3']);
  parseFails(() => parseLocations(['/a b']), /X-OCCI-Location: invalid URI "\/a b"/);
  assert.equal(absoluteUrl('http://127.0.0.1:8888', '/disco/x'), 'http://127.0.0.1:8888/disco/x');
  assert.equal(absoluteUrl('http://127.0.0.1:8888/', 'disco/x'), 'http://127.0.0.1:8888/disco/x');
  assert.equal(absoluteUrl('http://a', 'http://b/disco/x'), 'http://b/disco/x');
  assert.equal(locationPath('http://h:1/disco/x?action=scale'), '/disco/x?action=scale');
  assert.equal(locationPath('/disco/x'), '/disco/x');
});
