// Generators (fast-check) of hostile requests to the API: grammar-based OCCI headers and
// bodies, mutations of the ICCLab request, oversized and deeply nested values, odd bytes
// and encodings, with and without credentials; and raw byte streams that break HTTP framing.
import fc from 'fast-check';
import { ATTR } from '../../src/disco-kind/attribute-names.js';
import { icclabAttributes, KIND_CATEGORY } from './service.js';

export interface Spec {
  method: string;
  path: string;
  /** none; a bogus token or password; the demo user's real token */
  auth: 'none' | 'bogus' | 'token';
  headers: Record<string, string>;
  /** Latin-1: each character is one byte on the wire. */
  body: string;
}

const SM = 'http://schemas.cloudcomplab.ch/occi/sm#';
const FW = 'http://schemas.cloudcomplab.ch/occi/sm/framework#';
const ACT = 'http://schemas.cloudcomplab.ch/occi/sm/action#';
const NAMES = [...Object.values(ATTR), 'occi.core.title', 'occi.core.id', 'occi.core.summary', 'stack_status', 'external_ip', 'ssh_private_key',
  'icclab.disco.state', 'icclab.disco.components.bootstrap.post_init', 'icclab.disco.components.jupyter.password',
  'icclab.disco.components.hadoop.replication', 'icclab.disco.components.disco.replicas', 'icclab.disco.components.bogus.x', 'a', ''];
/** What breaks parsers: quotes, escapes, separators, brackets, dot segments, NUL, big code points. */
const NASTY = ['"', '\\', '\\"', ',', ';', '=', '{', '}', '[', ']', '<', '>', '\\u', '\\u00', '..', '%2e%2e', '/', '?', '#', '%',
  '\u0000', '\u00ff', '\u2028', '😀', '\t', ' ', 'None', 'null', 'true', '-1', '1e309', '0x10', "'", '\ud800'];

/** Any text made HTTP-header-safe as Node's client checks it: code points above 0xff sent as their UTF-8 bytes (mojibake), no CR, LF or NUL. */
export function headerSafe(s: string): string {
  return Buffer.from(s, 'utf8').toString('latin1').replace(/[\r\n\0]/g, '').replace(/[\x01-\x08\x0b-\x1f\x7f]/g, '?');
}

/** A request target Node's client sends: bytes outside 0x21..0xff percent-encoded. */
export function pathSafe(p: string): string {
  return Buffer.from(p, 'utf8').toString('latin1').replace(/[^\x21-\xff]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

const piece = fc.oneof(fc.constantFrom(...NASTY), fc.string({ maxLength: 12 }), fc.fullUnicodeString({ maxLength: 6 }), fc.stringMatching(/^[a-z0-9._-]{1,16}$/));
const text = fc.array(piece, { maxLength: 12 }).map((p) => p.join(''));
/** Big values: a unit repeated (fast-check's own strings would take far too long at 100 KB). */
const big = (max: number) => fc.tuple(fc.constantFrom('a', '{', '"', '\\', '\\u0041', 'a{', ',', ';', 'node=', '[', '<', 'é', '😀', 'x=1,', '"a",'), fc.integer({ min: 1, max }))
  .map(([u, n]) => u.repeat(Math.ceil(n / u.length)));

const value = fc.oneof(
  { weight: 4, arbitrary: text.map((t) => `"${t}"`) },
  { weight: 2, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.boolean()).map(String) },
  { weight: 1, arbitrary: text },
  { weight: 1, arbitrary: big(6_000).map((b) => `"${b}"`) },
);
const attrName = fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...NAMES) }, { weight: 1, arbitrary: text });
const attribute = fc.tuple(attrName, value).map(([n, v]) => `${n}=${v}`);
const attributes = fc.array(attribute, { maxLength: 12 }).map((a) => a.join(', '));

const category = fc.oneof(
  fc.constant(KIND_CATEGORY),
  fc.constantFrom('hadoop', 'spark', 'jupyter', 'zeppelin', 'disco', 'bootstrap', 'nope').map((t) => `${t}; scheme="${FW}"; class="mixin"`),
  fc.constantFrom('scale', 'suspend', 'resume', 'boom').map((t) => `${t}; scheme="${ACT}"; class="action"`),
  fc.tuple(text, text, fc.constantFrom('kind', 'mixin', 'action', 'KIND', 'x', ''), fc.option(text), fc.option(text))
    .map(([t, sch, c, title, attrs]) => `${t}; scheme="${sch}#"; class="${c}"${title === null ? '' : `; title="${title}"`}${attrs === null ? '' : `; attributes="${attrs}"`}`),
  big(14_000).map((b) => `disco; scheme="${SM}"; class="kind"; attributes="${b}"`),
);
const categories = fc.array(category, { minLength: 1, maxLength: 4 }).map((c) => c.join(', '));

/** A string with a few edits: characters and NASTY pieces inserted, cut, repeated. */
function mutate(base: string): fc.Arbitrary<string> {
  const edit = fc.tuple(fc.nat(), fc.nat({ max: 40 }), fc.oneof(fc.constantFrom(...NASTY), fc.string({ maxLength: 4 })), fc.constantFrom('insert', 'delete', 'replace', 'repeat'));
  return fc.array(edit, { minLength: 1, maxLength: 6 }).map((edits) => edits.reduce((s, [at, len, what, op]) => {
    const i = s.length === 0 ? 0 : at % s.length;
    switch (op) {
      case 'insert': return s.slice(0, i) + what + s.slice(i);
      case 'delete': return s.slice(0, i) + s.slice(i + len);
      case 'replace': return s.slice(0, i) + what + s.slice(i + what.length);
      default: return s.slice(0, i) + s.slice(i, i + len).repeat(50) + s.slice(i);
    }
  }, base));
}

function deepJson(depth: number, kind: 'array' | 'object'): string {
  return kind === 'array' ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

const jsonBody = fc.oneof(
  fc.record({ kind: fc.constantFrom(`${SM}disco`, 'x#y', 'nohash'), mixins: fc.array(fc.constantFrom(`${FW}hadoop`, `${FW}spark`, 'bad'), { maxLength: 3 }),
    attributes: fc.dictionary(attrName, fc.oneof(fc.jsonValue({ maxDepth: 4 }), text)), title: fc.option(text) }).map((o) => JSON.stringify(o)),
  fc.record({ action: fc.constantFrom(`${ACT}scale`, `${ACT}suspend`, 'bad'), attributes: fc.dictionary(attrName, fc.jsonValue({ maxDepth: 3 })) }).map((o) => JSON.stringify(o)),
  fc.tuple(fc.integer({ min: 1, max: 100_000 }), fc.constantFrom('array', 'object') as fc.Arbitrary<'array' | 'object'>)
    .map(([d, k]) => `{"kind":"${SM}disco","attributes":{"a":${deepJson(d, k)}}}`),
  // deep where no attribute is: the kind, an action, a mixin, a link, the document itself
  fc.tuple(fc.integer({ min: 1, max: 100_000 }), fc.constantFrom('array', 'object') as fc.Arbitrary<'array' | 'object'>,
    fc.constantFrom('{"kind":$}', '{"action":$}', '{"kind":"x#y","mixins":[$]}', '{"kind":"x#y","links":[{"target":$}]}', '$'))
    .map(([d, k, where]) => where.replace('$', deepJson(d, k))),
  fc.jsonValue({ maxDepth: 6 }).map((v) => JSON.stringify(v)),
  mutate(JSON.stringify({ kind: `${SM}disco`, attributes: { [ATTR.workers]: 1, 'occi.core.title': 'x' } })),
);

const textBody = fc.oneof(
  fc.tuple(categories, attributes).map(([c, a]) => `Category: ${c}\nX-OCCI-Attribute: ${a}\n`),
  mutate(`Category: ${KIND_CATEGORY}\nX-OCCI-Attribute: ${icclabAttributes(1)}\n`),
  fc.array(fc.oneof(attribute.map((a) => `X-OCCI-Attribute: ${a}`), category.map((c) => `Category: ${c}`), text, fc.constant(' continued')), { maxLength: 20 }).map((l) => l.join('\n')),
  big(250_000).map((b) => `X-OCCI-Attribute: a="${b}"\n`),
  big(300_000),
);

/** Percent-encoding that takes any string (a lone surrogate becomes U+FFFD first). */
const enc = (t: string) => encodeURIComponent(Buffer.from(t, 'utf8').toString('utf8'));
const uuid = fc.uuid();
const path = (existing: () => string) => fc.oneof(
  fc.constantFrom('/disco/', '/disco', '/-/', '/.well-known/org/ogf/occi/-/', '/healthz', '/metrics', '/readyz', '/', '/disco//'),
  uuid.map((u) => `/disco/${u}`),
  fc.constant(null).map(() => `/disco/${existing()}`),
  fc.tuple(fc.constant(null), fc.constantFrom('scale', 'suspend', 'resume', 'x', '')).map(([, a]) => `/disco/${existing()}?action=${a}`),
  fc.tuple(fc.constant(null), fc.string({ maxLength: 8 }), fc.string({ maxLength: 40 })).map(([, l, m]) => `/disco/${existing()}/events?limit=${enc(l)}&marker=${enc(m)}`),
  fc.tuple(fc.string({ maxLength: 8 }), fc.string({ maxLength: 40 })).map(([l, m]) => `/disco/?limit=${enc(l)}&marker=${enc(m)}`),
  text.map((t) => `/${enc(t)}`),
  mutate('/disco/00000000-0000-4000-8000-000000000000?action=scale'),
);

const accept = fc.oneof({ weight: 8, arbitrary: fc.constantFrom('text/plain', 'text/occi', 'application/occi+json', 'application/json', 'text/uri-list', '*/*', 'image/png', '') },
  { weight: 1, arbitrary: text }, { weight: 1, arbitrary: big(12_000).map((b) => `text/plain;q=${b}`) });
const contentType = fc.oneof(fc.constantFrom('text/occi', 'text/plain', 'application/occi+json', 'application/json', 'text/plain; charset=latin1', 'image/png'), text);

/** One request: method, path, headers and body, each drawn from the grammar or mutated. */
export function requestSpec(existing: () => string): fc.Arbitrary<Spec> {
  return fc.record({
    method: fc.constantFrom('GET', 'GET', 'GET', 'POST', 'POST', 'POST', 'DELETE', 'PUT', 'HEAD', 'PATCH'),
    path: path(existing),
    auth: fc.constantFrom('none', 'none', 'none', 'bogus', 'token', 'token') as fc.Arbitrary<Spec['auth']>,
    bogus: fc.oneof(text.map((t) => ({ 'X-Auth-Token': t || 'x' })), fc.tuple(text, text).map(([u, p]) => ({ 'X-User-Name': u || 'u', 'X-Password': p || 'p', 'X-Tenant-Name': 'demo' }))),
    category: fc.option(categories, { freq: 2 }),
    attrs: fc.option(fc.oneof(attributes, mutate(icclabAttributes(1))), { freq: 2 }),
    accept: fc.option(accept),
    contentType: fc.option(contentType),
    extra: fc.dictionary(fc.constantFrom('Link', 'X-OCCI-Location', 'X-Request-Id', 'X-Tenant-Name', 'X-Domain-Name', 'If-None-Match', 'Host'), text, { maxKeys: 3 }),
    body: fc.oneof({ weight: 3, arbitrary: fc.constant('') }, { weight: 2, arbitrary: textBody }, { weight: 2, arbitrary: jsonBody }),
  }).map((r): Spec => {
    const headers: Record<string, string> = {};
    if (r.auth === 'bogus') Object.assign(headers, r.bogus);
    if (r.category !== null) headers.Category = r.category;
    if (r.attrs !== null) headers['X-OCCI-Attribute'] = r.attrs;
    if (r.accept !== null) headers.Accept = r.accept;
    if (r.contentType !== null) headers['Content-Type'] = r.contentType;
    Object.assign(headers, r.extra);
    for (const [k, v] of Object.entries(headers)) headers[k] = headerSafe(v);
    if (headers.Host === '') delete headers.Host;
    const withBody = r.method !== 'GET' && r.method !== 'HEAD';
    // a real token only for a few changes: each asks Keystone afresh
    const auth = r.auth === 'token' && withBody && r.body.length % 10 !== 0 ? 'none' : r.auth;
    return { method: r.method, path: pathSafe(r.path), auth, headers, body: withBody ? Buffer.from(r.body, 'utf8').toString('latin1') : '' };
  });
}

/** Raw bytes: broken request lines and framing, control bytes in headers, bodies longer or shorter than said. */
export function rawRequest(existing: () => string): fc.Arbitrary<Buffer> {
  const line = fc.oneof(
    fc.constant(null).map(() => `GET /disco/${existing()} HTTP/1.1`),
    fc.constantFrom('POST /disco/ HTTP/1.1', 'GET /-/ HTTP/1.0', 'GET / HTTP/9.9', 'GARBAGE', 'GET /disco/\u0000 HTTP/1.1', ''),
    mutate('POST /disco/ HTTP/1.1'),
  );
  const header = fc.oneof(
    fc.tuple(fc.constantFrom('Category', 'X-OCCI-Attribute', 'Content-Length', 'Transfer-Encoding', 'Host', 'Content-Type', 'X-Auth-Token', 'X-User-Name'), fc.string({ maxLength: 40 }))
      .map(([n, v]) => `${n}: ${v}`),
    fc.constantFrom('Content-Length: -1', 'Content-Length: 99999999999', 'Transfer-Encoding: chunked', 'Content-Length: 5\r\nContent-Length: 6',
      'X-Bad\u0001: x', 'X-OCCI-Attribute: a="\u0000"', ' folded: header', 'Host: a\r\nHost: b'),
  );
  return fc.tuple(line, fc.array(header, { maxLength: 6 }), fc.string({ maxLength: 64 }), fc.boolean())
    .map(([l, hs, body, crlf]) => Buffer.from(`${l}\r\nHost: 127.0.0.1\r\n${hs.join('\r\n')}${hs.length ? '\r\n' : ''}${crlf ? '\r\n' : '\n'}${body}`, 'latin1'));
}
