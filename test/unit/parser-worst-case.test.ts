// Every parser a caller (or a cloud answer) reaches, fed the worst input we know for it at the
// largest size the service lets through, must do linear work. The quadratic Category parser
// took 1.4 s on 40,000 characters of unclosed '{'. No absolute time is asserted (a shared
// 2-core machine makes any limit flake): each case is timed once at the largest size and as
// K runs of inputs K times smaller, the same bytes in all. Linear work takes about as long
// both ways; quadratic work takes K times longer at the largest size.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseOcciRequest, negotiate, ENTITY_TYPES, OcciParseError, DEFAULT_LIMITS } from '../../src/occi/index.js';
import { attributeWords } from '../../src/occi/category.js';
import { parseInject } from '../../src/clusters/inject.js';
import { nodeReason, signalEvent } from '../../src/heat/node-signal.js';
import { parseErrorBody } from '../../src/openstack/error-body.js';
import { growth, GROWTH_LIMIT, K } from '../helpers/linear-growth.js';

const BODY = 262_144; // the largest body (http.maxBodyBytes)
const HEADER = 16_384; // the largest header block (http.maxHeaderBytes)
const fill = (unit: string, bytes: number) => unit.repeat(Math.floor(bytes / unit.length));

const body = (contentType: string, text: string) => () => parseOcciRequest({ headers: { 'content-type': contentType }, body: text });
const header = (name: string, value: string) => () => parseOcciRequest({ headers: { [name]: value } });
/** The input is made before the clock starts: only the parse is timed. */
const call = (fn: (text: string) => unknown, text: string) => () => fn(text);
const cat = 'disco; scheme="http://schemas.cloudcomplab.ch/occi/sm#"; class="kind"';

/** A case: its largest size, and the parse of its worst input of n bytes. */
type Case = [name: string, largest: number, input: (n: number) => () => unknown];
const CASES: Case[] = [
  ['Category attributes="" of unclosed {', BODY, (n) => body('text/plain', `Category: ${cat}; attributes="${fill('a{', n - 100)}"\n`)],
  ['attribute words of unclosed {', BODY, (n) => call(attributeWords, fill('a{', n))],
  ['attribute words with one } at the end', BODY, (n) => call(attributeWords, `${fill('a{ ', n)}}`)],
  ['Category of many ;', BODY, (n) => body('text/plain', `Category: ${cat}${fill(';', n - 100)}\n`)],
  ['an unterminated quoted string of escapes', BODY, (n) => body('text/plain', `X-OCCI-Attribute: a="${fill('\\u00', n - 40)}\n`)],
  ['a quoted string of \\u escapes', BODY, (n) => body('text/plain', `X-OCCI-Attribute: icclab.disco.components.bootstrap.post_init="${fill('\\u0041', n - 80)}"\n`)],
  ['many attributes', BODY, (n) => body('text/plain', `X-OCCI-Attribute: ${fill('a=1,', n - 20)}\n`)],
  ['many short lines', BODY, (n) => body('text/plain', fill('X-OCCI-Attribute: a=1\n', n))],
  ['one line continued many times', BODY, (n) => body('text/plain', `X-OCCI-Attribute: a="x\n${fill(' y\n', n - 30)}`)],
  ['many Link values of <', BODY, (n) => body('text/plain', `Link: ${fill('<', n - 10)}\n`)],
  ['many locations', BODY, (n) => body('text/plain', `X-OCCI-Location: ${fill('/a,', n - 20)}\n`)],
  ['JSON nested arrays', BODY, (n) => body('application/occi+json', `{"kind":"${cat.split(';')[0]}#x","attributes":{"a":${fill('[', n / 2 - 40)}${fill(']', n / 2 - 40)}}}`)],
  ['JSON nested objects', BODY, (n) => body('application/occi+json', `{"action":"s#a","attributes":{"a":${fill('{"a":', n / 2 - 40)}1${fill('}', n / 10)}`)],
  ['JSON wide object', BODY, (n) => body('application/occi+json', `{"kind":"s#disco","attributes":{${fill('"a":[1],', n - 60)}"b":1}}`)],
  ['a header of unclosed {', HEADER, (n) => header('category', `${cat}; attributes="${fill('{', n - 120)}"`)],
  ['a header of quotes and commas', HEADER, (n) => header('x-occi-attribute', fill('a=",",', n))],
  ['Accept of many types', HEADER, (n) => call((t) => negotiate(t, ENTITY_TYPES), fill('a/b;q=0.1,', n))],
  ['Accept of many parameters', HEADER, (n) => call((t) => negotiate(t, ENTITY_TYPES), `text/plain${fill(';a=b', n)}`)],
  ['inject dict of many entries', BODY, (n) => call(parseInject, `{${fill("'a':1,", n)}}`)],
  ['inject dict of an unterminated string', BODY, (n) => call(parseInject, `{'${fill('\\', n)}`)],
  ['inject list', BODY, (n) => call(parseInject, fill('a=1,', n))],
  ['a node reason of many node=', BODY, (n) => call(nodeReason, fill('node=', n))],
  ['a signal event of many node=', BODY, (n) => call(signalEvent, `Signal: status:FAILURE reason:${fill('node=', n)}`)],
  ['an HTML error body of unclosed <', BODY, (n) => call(parseErrorBody, fill('<', n))],
];

for (const [name, largest, input] of CASES) {
  test(`worst case at the largest size, linear: ${name}`, () => {
    const g = growth(input(largest), Array.from({ length: K }, () => input(largest / K)));
    assert.ok(g.ratio < GROWTH_LIMIT, `${name}: ${g.full.toFixed(1)} ms at ${largest} bytes, ${g.parts.toFixed(1)} ms as ${K} parts: ${g.ratio.toFixed(1)}x (quadratic work: ${K}x)`);
  });
}

/** attributeWords as a first try might write it: every unclosed '{' looks for its '}' to the
 * end again, once with indexOf (fast while the text is in the CPU's cache) and once by hand. */
function quadraticWords(s: string, byHand: boolean): string[] {
  const out: string[] = [];
  const closing = (from: number) => {
    if (!byHand) return s.indexOf('}', from);
    for (let k = from; k < s.length; k++) if (s[k] === '}') return k;
    return -1;
  };
  for (let i = 0; i < s.length;) {
    if (s[i] === '{' || s[i] === ' ') { i++; continue; }
    let j = i;
    while (j < s.length && s[j] !== '{' && s[j] !== ' ') j++;
    const close = s[j] === '{' ? closing(j + 1) : -1;
    if (close > j) { out.push(s.slice(i, close + 1)); i = close + 1; continue; }
    out.push(s.slice(i, j));
    i = j;
  }
  return out;
}

for (const [how, size] of [['indexOf', BODY], ['a loop by hand', 8_192]] as const) {
  test(`the measure fails quadratic work: attributeWords without its remembered }, by ${how}`, () => {
    const words = (t: string) => quadraticWords(t, how !== 'indexOf');
    assert.deepEqual(words('a{b c} d{ e'), attributeWords('a{b c} d{ e'), 'the same words');
    const g = growth(call(words, fill('a{', size)), Array.from({ length: K }, () => call(words, fill('a{', size / K))));
    assert.ok(g.ratio >= GROWTH_LIMIT, `quadratic work measured ${g.ratio.toFixed(1)}x`);
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
