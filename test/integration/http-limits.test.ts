// What one connection may cost the service: headers and bodies bounded in bytes, slow
// clients cut off, unauthenticated bodies never parsed, operator endpoints off the public
// port. The servers are the ones main.ts starts (api/server.ts), with short timers.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, test } from 'node:test';
import { serve, type Listening } from '../../src/compose.js';
import { inProcess, KIND_CATEGORY } from '../helpers/service.js';
import { loadConfig } from '../../src/config/load.js';

const s = inProcess({ SM_MAX_BODY_BYTES: '4096' });
const http = { ...loadConfig({ ...process.env, ...s.env }).http, headersTimeoutSeconds: 1, requestTimeoutSeconds: 2, keepAliveTimeoutSeconds: 1 };
let api: Listening;
let admin: Listening;

before(async () => {
  api = await serve(s.service.app, { host: '127.0.0.1', port: 0, http, checkEveryMs: 100 });
  admin = await serve(s.service.admin, { host: '127.0.0.1', port: 0, http, checkEveryMs: 100 });
});
after(async () => {
  api.server.closeAllConnections();
  admin.server.closeAllConnections();
  await new Promise((r) => api.server.close(r));
  await new Promise((r) => admin.server.close(r));
  await s.service.close();
});

/** Writes `head`, then one byte of body every `everyMs`; resolves with what the server sent and when it closed. */
function trickle(url: string, head: string, everyMs: number): Promise<{ ms: number; answer: string; sent: number }> {
  const u = new URL(url);
  return new Promise((resolve) => {
    const started = Date.now();
    let answer = '';
    let sent = 0;
    const sock = connect(Number(u.port), u.hostname, () => { sock.write(head); });
    const timer = setInterval(() => { if (!sock.destroyed) { sock.write('x'); sent++; } }, everyMs);
    sock.on('data', (c) => { answer += String(c); });
    sock.on('error', () => undefined);
    sock.on('close', () => { clearInterval(timer); resolve({ ms: Date.now() - started, answer, sent }); });
  });
}

test('a client that trickles its body is cut off (408) after the request timeout', async () => {
  const r = await trickle(api.url, 'POST /disco/ HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 100000\r\n\r\n', 200);
  assert.ok(r.ms < 5000, `closed after ${r.ms} ms`);
  assert.ok(r.sent < 100_000);
  assert.match(r.answer, /^HTTP\/1\.1 408/);
});

test('headers that never end are cut off after the headers timeout', async () => {
  const r = await trickle(api.url, 'GET /disco/ HTTP/1.1\r\nHost: x\r\nX-Slow: ', 200);
  assert.ok(r.ms < 4000, `closed after ${r.ms} ms`);
});

test('headers over maxHeaderBytes: 431; a body over maxBodyBytes: 413; neither reaches Keystone', async () => {
  const big = await fetch(`${api.url}/disco/`, { headers: { 'X-OCCI-Attribute': `a="${'x'.repeat(http.maxHeaderBytes)}"` } });
  assert.equal(big.status, 431);
  const body = await fetch(`${api.url}/disco/`, { method: 'POST', headers: { 'Content-Type': 'text/plain', 'X-User-Name': 'nobody-at-all', 'X-Password': 'wrong-password' }, body: `X-OCCI-Attribute: a="${'x'.repeat(5000)}"\n` });
  // credentials in headers are checked first: a wrong password is a 401 before the body is read
  assert.equal(body.status, 401, await body.text());
  const anon = await fetch(`${api.url}/disco/`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: `X-OCCI-Attribute: a="${'x'.repeat(5000)}"\n` });
  assert.equal(anon.status, 413, await anon.text());
});

test('an unauthenticated request is refused before its body is parsed', async () => {
  // a body the OCCI parser would refuse (400): with header credentials that Keystone refuses, 401 comes first
  const r = await fetch(`${api.url}/disco/`, { method: 'POST', headers: { 'Content-Type': 'text/plain', Category: KIND_CATEGORY, 'X-Auth-Token': 'gAAAAAnot-a-token-at-all-0123456789' }, body: 'Not-OCCI: {{{{\n' });
  assert.equal(r.status, 401, await r.text());
});

test('/metrics and /readyz are on the admin listener only; /healthz on both', async () => {
  for (const p of ['/metrics', '/readyz']) {
    assert.equal((await fetch(`${api.url}${p}`)).status, 404, p);
  }
  assert.equal((await fetch(`${api.url}/healthz`)).status, 200);
  assert.equal((await fetch(`${admin.url}/healthz`)).status, 200);
  const m = await fetch(`${admin.url}/metrics`);
  assert.equal(m.status, 200);
  assert.match(await m.text(), /disco_sm_clusters/);
  assert.ok([200, 503].includes((await fetch(`${admin.url}/readyz`)).status));
  assert.equal((await fetch(`${admin.url}/disco/`)).status, 404, 'no API on the admin listener');
  assert.equal(loadConfig({}).admin.host, '127.0.0.1', 'loopback by default');
});
