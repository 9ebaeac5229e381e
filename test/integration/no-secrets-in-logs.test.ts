// Every log line the client writes at debug level, and every error it throws, during real
// calls that handle passwords, tokens, application-credential secrets and a private key:
// none of those secrets may appear in any of them.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { generateSshKeyPair } from '../../src/crypto/ssh-keypair.js';
import { createLogger } from '../../src/log/logger.js';
import { connect, OpenStackHttp, type OpenStackError } from '../../src/openstack/index.js';
import { cloudEnv, passwordLogin } from '../helpers/cloud.js';

test('no secret in any log line or error message at debug level', { timeout: 120_000 }, async () => {
  const lines: string[] = [];
  const sink = new Writable({ write(chunk, _enc, done) { lines.push(...String(chunk).split('\n').filter(Boolean)); done(); } });
  const logger = createLogger({ level: 'debug', destination: sink });
  const http = new OpenStackHttp({ logger, retries: 1, backoff: { baseMs: 10, capMs: 20 } });
  const env = cloudEnv();
  const secrets: string[] = [env.OS_PASSWORD];
  const errors: OpenStackError[] = [];
  const keep = (e: unknown) => { errors.push(e as OpenStackError); logger.error({ err: e }, 'call failed'); };

  const os = connect({ ...passwordLogin('demo'), http });
  const token = await os.session.token();
  secrets.push(token.value);
  logger.info({ token }, 'a token object logged by mistake');

  const wrong = `Wrong-Password-${Date.now()}`;
  secrets.push(wrong);
  await os.keystone.authenticate({ kind: 'password', username: env.OS_USERNAME, password: wrong,
    userDomain: { name: 'Default' } }).catch(keep);

  const rescoped = await os.keystone.authenticate({ kind: 'token', token: token.value }, { projectId: token.project!.id });
  secrets.push(rescoped.value);
  await os.keystone.validateToken(rescoped.value, token.value);
  await os.keystone.validateToken('gAAAAABthis-is-not-a-valid-token-but-looks-like-one-0000', token.value).catch(keep);

  const ac = await os.keystone.createApplicationCredential(token, { name: `ostest-logs-${Date.now()}` });
  secrets.push(ac.secret);
  const acOs = connect({ authUrl: env.OS_AUTH_URL, credentials: { kind: 'applicationCredential', id: ac.id, secret: ac.secret }, http });
  const acToken = await acOs.session.token();
  secrets.push(acToken.value);
  await acOs.heat.listStacks();
  await os.keystone.deleteApplicationCredential(token, ac.id);
  await os.keystone.authenticate({ kind: 'applicationCredential', id: ac.id, secret: ac.secret }).catch(keep);

  await os.heat.validate({ template: { heat_template_version: '2018-08-31', resources: { x: { type: 'OS::No::Such' } } } }).catch(keep);
  await os.nova.flavor(env.LOCAL_CLOUD_FLAVOR);
  await os.glance.image(env.LOCAL_CLOUD_IMAGE);
  await os.neutron.networks({ external: true });

  const keys = generateSshKeyPair();
  secrets.push(keys.privateKey.split('\n')[1]!);
  logger.info({ output: keys.privateKey }, 'a stack output logged by mistake');

  // a broken service that echoes the caller's token in its error body, retried (GET) then failed
  const server = createServer((req, res) => {
    res.writeHead(503, { 'content-type': 'application/json', 'x-openstack-request-id': 'req-echo' });
    res.end(JSON.stringify({ error: { message: `backend down, your token was ${req.headers['x-auth-token']}` } }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await http.call({ service: 'echo', operation: 'echo.get', method: 'GET', url: `http://127.0.0.1:${port}/x`, token: token.value }).catch(keep);
  server.close();

  await new Promise((r) => setImmediate(r));
  assert.ok(lines.filter((l) => l.includes('"openstack call"')).length >= 15, `debug lines were written (${lines.length})`);
  assert.ok(lines.some((l) => l.includes('openstack call failed, retrying')), 'the retry was logged');
  assert.equal(errors.length, 5, errors.map((e) => e.message).join('\n'));
  assert.ok(errors.some((e) => e.message.includes('backend down, your token was [REDACTED]')));
  for (const s of secrets) {
    assert.ok(s.length >= 8);
    for (const l of lines) assert.ok(!l.includes(s), `a secret in the log line: ${l.slice(0, 200)}`);
    for (const e of errors) {
      assert.ok(!e.message.includes(s) && !JSON.stringify(e).includes(s), `a secret in the error: ${e.message}`);
    }
  }
});
