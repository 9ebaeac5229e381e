// Every parser a caller (or a cloud answer) reaches, fed the worst input we know for it at the
// largest size the service lets through, must answer in under 100 ms: linear work. The
// quadratic Category parser took 1.4 s on 40,000 characters of unclosed '{'.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseOcciRequest, negotiate, ENTITY_TYPES, OcciParseError, DEFAULT_LIMITS } from '../../src/occi/index.js';
import { attributeWords } from '../../src/occi/category.js';
import { parseInject } from '../../src/clusters/inject.js';
import { nodeReason, signalEvent } from '../../src/heat/node-signal.js';
import { parseErrorBody } from '../../src/openstack/error-body.js';

const BODY = 262_144; // the largest body (http.maxBodyBytes)
const HEADER = 16_384; // the largest header block (http.maxHeaderBytes)
const fill = (unit: string, bytes: number) => unit.repeat(Math.floor(bytes / unit.length));

/** The best of five runs, in ms (the first may pay for compilation; another file's tests share the cores). */
function time(fn: () => unknown): number {
  let best = Infinity;
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    try { fn(); } catch { /* a refusal is an answer too */ }
    best = Math.min(best, performance.now() - t);
  }
  return best;
}

const body = (contentType: string, text: string) => () => parseOcciRequest({ headers: { 'content-type': contentType }, body: text });
const header = (name: string, value: string) => () => parseOcciRequest({ headers: { [name]: value } });
const cat = 'disco; scheme="http://schemas.cloudcomplab.ch/occi/sm#"; class="kind"';

const CASES: [string, () => unknown][] = [
  ['Category attributes="" of unclosed {', body('text/plain', `Category: ${cat}; attributes="${fill('a{', BODY - 100)}"\n`)],
  ['attribute words of unclosed {', () => attributeWords(fill('a{', BODY))],
  ['attribute words with one } at the end', () => attributeWords(`${fill('a{ ', BODY)}}`)],
  ['Category of many ;', body('text/plain', `Category: ${cat}${fill(';', BODY - 100)}\n`)],
  ['an unterminated quoted string of escapes', body('text/plain', `X-OCCI-Attribute: a="${fill('\\u00', BODY - 40)}\n`)],
  ['a quoted string of \\u escapes', body('text/plain', `X-OCCI-Attribute: icclab.disco.components.bootstrap.post_init="${fill('\\u0041', BODY - 80)}"\n`)],
  ['many attributes', body('text/plain', `X-OCCI-Attribute: ${fill('a=1,', BODY - 20)}\n`)],
  ['many short lines', body('text/plain', fill('X-OCCI-Attribute: a=1\n', BODY))],
  ['one line continued many times', body('text/plain', `X-OCCI-Attribute: a="x\n${fill(' y\n', BODY - 30)}`)],
  ['many Link values of <', body('text/plain', `Link: ${fill('<', BODY - 10)}\n`)],
  ['many locations', body('text/plain', `X-OCCI-Location: ${fill('/a,', BODY - 20)}\n`)],
  ['JSON nested arrays', body('application/occi+json', `{"kind":"${cat.split(';')[0]}#x","attributes":{"a":${fill('[', BODY / 2 - 40)}${fill(']', BODY / 2 - 40)}}}`)],
  ['JSON nested objects', body('application/occi+json', `{"action":"s#a","attributes":{"a":${fill('{"a":', BODY / 2 - 40)}1${fill('}', BODY / 10)}`)],
  ['JSON wide object', body('application/occi+json', `{"kind":"s#disco","attributes":{${fill('"a":[1],', BODY - 60)}"b":1}}`)],
  ['a header of unclosed {', header('category', `${cat}; attributes="${fill('{', HEADER - 120)}"`)],
  ['a header of quotes and commas', header('x-occi-attribute', fill('a=",",', HEADER))],
  ['Accept of many types', () => negotiate(fill('a/b;q=0.1,', HEADER), ENTITY_TYPES)],
  ['Accept of many parameters', () => negotiate(`text/plain${fill(';a=b', HEADER)}`, ENTITY_TYPES)],
  ['inject dict of many entries', () => parseInject(`{${fill("'a':1,", BODY)}}`)],
  ['inject dict of an unterminated string', () => parseInject(`{'${fill('\\', BODY)}`)],
  ['inject list', () => parseInject(fill('a=1,', BODY))],
  ['a node reason of many node=', () => nodeReason(fill('node=', BODY))],
  ['a signal event of many node=', () => signalEvent(`Signal: status:FAILURE reason:${fill('node=', BODY)}`)],
  ['an HTML error body of unclosed <', () => parseErrorBody(fill('<', BODY))],
];

for (const [name, fn] of CASES) {
  test(`worst case at the largest size: ${name}`, () => {
    const ms = time(fn);
    assert.ok(ms < 100, `${name}: ${ms.toFixed(1)} ms`);
  });
}

test('the limits refuse, naming what is over', () => {
  assert.throws(body('text/plain', `X-OCCI-Attribute: ${fill('a=1,', 4 * (DEFAULT_LIMITS.maxAttributes + 1))}\n`.replace(/a=1/g, (_m, i: number) => `a${i}=1`)),
    (e: unknown) => e instanceof OcciParseError && /too many attributes: 129 \(at most 128/.test(e.message));
  assert.throws(body('text/plain', `X-OCCI-Attribute: a="${'x'.repeat(4097)}"\n`),
    (e: unknown) => e instanceof OcciParseError && /value of "a" is 4097 bytes \(at most 4096\)/.test(e.message));
  assert.throws(body('text/plain', `X-OCCI-Attribute: a="${'é'.repeat(2049)}"\n`), /4098 bytes/, 'bytes, not characters');
  assert.doesNotThrow(body('text/plain', `X-OCCI-Attribute: a="${'x'.repeat(4096)}"\n`));
  assert.throws(body('application/occi+json', `{"kind":"s#disco","attributes":{"a":${'['.repeat(17)}${']'.repeat(17)}}}`),
    (e: unknown) => e instanceof OcciParseError && /attribute a is nested deeper than 16 levels/.test(e.message));
  assert.doesNotThrow(body('application/occi+json', `{"kind":"s#disco","attributes":{"a":${'['.repeat(16)}${']'.repeat(16)}}}`));
  const many = Array.from({ length: 33 }, (_, i) => `m${i}; scheme="s#"; class="mixin"`).join(', ');
  assert.throws(header('category', many), /too many categories: 33/);
});

test('attribute words: braces hold spaces, an unclosed { ends its word', () => {
  assert.deepEqual(attributeWords('a{required immutable} b  c{x}'), ['a{required immutable}', 'b', 'c{x}']);
  assert.deepEqual(attributeWords('a{b c'), ['a', 'b', 'c']);
  assert.deepEqual(attributeWords('{x} a{'), ['x}', 'a']);
  assert.deepEqual(attributeWords('a{b{c} d'), ['a{b{c}', 'd']);
  assert.deepEqual(attributeWords(''), []);
});
