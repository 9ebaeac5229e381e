// A password login is sent once: a Keystone answering 5xx may still have counted the
// failed attempt toward its lockout, and each retry would count again. Token validation
// (a GET) and other logins are still retried. Against a tiny server that answers 503.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, test } from 'node:test';
import { KeystoneClient, OpenStackHttp, ServerError } from '../../src/openstack/index.js';

let hits: { method: string; methods: string[] }[] = [];
const server = createServer((req, res) => {
  let body = '';
  req.on('data', (c: Buffer) => { body += String(c); });
  req.on('end', () => {
    const methods = body ? ((JSON.parse(body) as { auth: { identity: { methods: string[] } } }).auth.identity.methods) : [];
    hits.push({ method: req.method ?? '', methods });
    res.writeHead(503, { 'content-type': 'application/json' });
    res.end('{"error":{"message":"keystone is busy"}}');
  });
});
after(() => server.close());

async function keystone(): Promise<KeystoneClient> {
  if (!server.listening) await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  hits = [];
  return new KeystoneClient(`http://127.0.0.1:${port}`, new OpenStackHttp({ retries: 3, backoff: { baseMs: 1, capMs: 2 } }));
}

test('a password authentication is not retried on 503', async () => {
  const k = await keystone();
  await assert.rejects(k.authenticate({ kind: 'password', username: 'u', password: 'p4ssw0rd', userDomain: { name: 'Default' } }),
    (e: unknown) => e instanceof ServerError && e.status === 503);
  assert.deepEqual(hits, [{ method: 'POST', methods: ['password'] }], 'one attempt only');
});

test('token validation and application-credential logins are still retried', async () => {
  const k = await keystone();
  await assert.rejects(k.validateToken('some-token-value'), ServerError);
  assert.equal(hits.length, 4, 'one attempt and three retries');
  hits = [];
  await assert.rejects(k.authenticate({ kind: 'applicationCredential', id: 'ac', secret: 'ac-secret' }), ServerError);
  assert.equal(hits.length, 4);
});
