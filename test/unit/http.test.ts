// The HTTP layer against small local servers that misbehave on purpose: retries only for
// idempotent calls on 5xx and connection errors, capped attempts, timeouts.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { after, test } from 'node:test';
import { BadRequestError, ConnectionError, OpenStackHttp, ServerError, TimeoutError } from '../../src/openstack/index.js';

const servers: ReturnType<typeof createServer>[] = [];
after(() => { for (const s of servers) s.close(); });

async function serve(handler: (req: IncomingMessage, res: ServerResponse, hit: number) => void): Promise<{ url: string; hits: () => number }> {
  let hits = 0;
  const s = createServer((req, res) => { hits++; handler(req, res, hits); });
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(s.address() as { port: number }).port}/v1/x`, hits: () => hits };
}

const http = new OpenStackHttp({ retries: 2, timeoutMs: 2000, backoff: { baseMs: 5, capMs: 20 } });
const spec = { service: 'test', operation: 'test.op' };

test('GET is retried on 503 and succeeds', async () => {
  const s = await serve((_q, res, hit) => {
    if (hit < 3) { res.writeHead(503); res.end('busy'); return; }
    res.writeHead(200, { 'content-type': 'application/json' }); res.end('{"ok":true}');
  });
  const r = await http.call({ ...spec, method: 'GET', url: s.url });
  assert.deepEqual(r.body, { ok: true });
  assert.equal(s.hits(), 3);
});

test('retries stop after the configured number', async () => {
  const s = await serve((_q, res) => { res.writeHead(502); res.end(); });
  await assert.rejects(http.call({ ...spec, method: 'DELETE', url: s.url }), (e: unknown) => e instanceof ServerError && e.status === 502);
  assert.equal(s.hits(), 3, 'one attempt and two retries');
});

test('POST and PATCH are not retried unless marked idempotent', async () => {
  const s = await serve((_q, res) => { res.writeHead(500); res.end(); });
  await assert.rejects(http.call({ ...spec, method: 'POST', url: s.url, json: {} }), ServerError);
  assert.equal(s.hits(), 1);
  await assert.rejects(http.call({ ...spec, method: 'POST', url: s.url, json: {}, idempotent: true }), ServerError);
  assert.equal(s.hits(), 4);
});

test('4xx is never retried and carries the message and request id', async () => {
  const s = await serve((_q, res) => {
    res.writeHead(400, { 'content-type': 'application/json', 'x-openstack-request-id': 'req-abc' });
    res.end('{"error":{"message":"bad thing","type":"Invalid"}}');
  });
  const e = await http.call({ ...spec, method: 'GET', url: s.url }).catch((x: unknown) => x);
  assert.ok(e instanceof BadRequestError);
  assert.deepEqual([e.status, e.osMessage, e.osType, e.requestId], [400, 'bad thing', 'Invalid', 'req-abc']);
  assert.equal(s.hits(), 1);
});

test('a call that gets no answer times out, and is retried if idempotent', async () => {
  const s = await serve(() => { /* never answers */ });
  const quick = new OpenStackHttp({ retries: 1, timeoutMs: 150, backoff: { baseMs: 1, capMs: 1 } });
  const e = await quick.call({ ...spec, method: 'GET', url: s.url }).catch((x: unknown) => x);
  assert.ok(e instanceof TimeoutError, String(e));
  assert.equal(e.code, 'OS_TIMEOUT');
  assert.equal(s.hits(), 2);
});

test('a refused connection is a typed connection error', async () => {
  const s = await serve((_q, res) => res.end());
  const url = s.url;
  servers.pop()!.close();
  await new Promise((r) => setTimeout(r, 50));
  const e = await http.call({ ...spec, method: 'GET', url }).catch((x: unknown) => x);
  assert.ok(e instanceof ConnectionError, String(e));
  assert.equal(e.code, 'OS_CONNECTION');
  assert.match(e.message, /test\.op failed: connection failed: ECONNREFUSED/);
});

test('a 2xx answer that is not JSON though it says so is a typed bad response', async () => {
  const s = await serve((_q, res) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end('{oops'); });
  await assert.rejects(http.call({ ...spec, method: 'GET', url: s.url }), { code: 'OS_BAD_RESPONSE' });
});
