// The node bootstrap script, run for real with bash: sections run in order, a failing
// framework stops the script and signals FAILURE naming it with the log's last lines
// (set -e holds inside sections), success signals SUCCESS; properties arrive quoted.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { FrameworkCatalog } from '../../src/frameworks/catalog.js';
import { encodeSecrets } from '../../src/heat/renderer.js';
import { renderUserData, sectionNames } from '../../src/heat/user-data.js';

const dir = mkdtempSync(join(tmpdir(), 'ud-'));
function framework(name: string, deps: string, script: string): void {
  mkdirSync(join(dir, name));
  writeFileSync(join(dir, name, 'framework.yaml'), `name: ${name}\nversion: "1"\ndescription: d\ndepends_on: [${deps}]\n` +
    'parameters: {type: object, properties: {note: {type: string}}}\nscripts: {worker: worker.sh}\n');
  writeFileSync(join(dir, name, 'worker.sh'), `#!/bin/bash\n${script}\n`);
}
framework('alpha', '', 'echo "alpha ran with $DISCO_ALPHA_NOTE on $DISCO_NODE"; alpha_hello');
// alpha's lib is at top level (later sections may call it), its post section runs after every framework
writeFileSync(join(dir, 'alpha', 'lib.sh'), '#!/bin/bash\nalpha_hello() { echo "hello from alpha lib, $DISCO_WORKER_VCPUS cores"; }\n');
writeFileSync(join(dir, 'alpha', 'post.sh'), '#!/bin/bash\necho "alpha post sees key $(disco_secret cluster_private_key | head -n 2 | tail -n 1) and [$(disco_secret none)]"\n');
writeFileSync(join(dir, 'alpha', 'framework.yaml'), readFileSync(join(dir, 'alpha', 'framework.yaml'), 'utf8')
  .replace('scripts: {worker: worker.sh}', 'scripts: {lib: lib.sh, worker: worker.sh, post: post.sh}'));
framework('delta', 'alpha', 'alpha_hello');
framework('beta', 'alpha', 'echo "beta starts"\nbeta_step() { ls /nonexistent-disco-dir; }\nbeta_step\necho "beta must not get here"');
// a section whose failure follows a 600-character line: the reason keeps the end
framework('noisy', 'alpha', 'for i in $(seq 1 300); do echo "line $i of chatter"; done\nprintf "%0600d\\n" 0\ncat /no/such/file.conf');
framework('gamma', 'beta', 'echo "gamma must not run"');
// waits inside a section end before Heat's: the install timeout (600 s here) less 90 s to report
framework('timer', '', 'echo "time left $(disco_time_left 5000) and $(disco_time_left 30)"');
const catalog = FrameworkCatalog.load(dir);

// A stand-in for Keystone and Heat: every login gets a new token (tok-1, tok-2, ...); the
// signal endpoint answers `failNext` 503s before it takes a signal.
const signals: { token: string | undefined; body: Record<string, string> }[] = [];
const logins: Record<string, unknown>[] = [];
let failNext = 0;
const server = createServer((req, res) => {
  let b = '';
  req.on('data', (c) => { b += c; });
  req.on('end', () => {
    if (req.url === '/v3/auth/tokens') {
      logins.push(JSON.parse(b));
      res.writeHead(201, { 'X-Subject-Token': `tok-${logins.length}` }).end('{}');
    } else if (failNext > 0) {
      failNext--;
      res.writeHead(503).end('busy');
    } else {
      signals.push({ token: req.headers['x-auth-token'] as string, body: JSON.parse(b) });
      res.end('{}');
    }
  });
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
after(() => server.close());
const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
// as Heat's HEAT_SIGNAL transport gives it (a password with quotes: it travels in a here-document)
const signal = JSON.stringify({ auth_url: `${base}/v3`, user_id: 'u-1', password: `p'w"$(x)`, project_id: 'p-1',
  domain_id: 'd-1', region_name: 'RegionOne', alarm_url: `${base}/v1/p-1/stacks/s/1/resources/handle/signal` });

// async: the signal server lives in this process, so its event loop must keep running
const secrets = encodeSecrets({ cluster_private_key: "-----BEGIN KEY-----\nline 'two' $x\n-----END KEY-----\n", alpha_token: 'abc' });
async function run(names: string[], properties = {}): Promise<{ status: number | null; log: string }> {
  const script = renderUserData(catalog.resolve(names), 'worker', { clusterName: 'c1', workers: 2, mirrorUrl: '', facts: { worker_vcpus: 2 }, properties })
    .replaceAll('__DISCO_NODE__', 'c1-worker-0').replaceAll('__DISCO_ROLE__', 'worker').replaceAll('__DISCO_MASTER_IP__', '192.168.19.5')
    .replaceAll('__DISCO_SIGNAL__', signal).replaceAll('__DISCO_INSTALL_TIMEOUT__', '600').replaceAll('__DISCO_SECRETS__', secrets);
  const log = join(mkdtempSync(join(tmpdir(), 'log-')), 'bootstrap.log');
  const proc = spawn('bash', ['-c', script], { env: { ...process.env, DISCO_LOG: log, DISCO_STATE: join(log, '..', 'state'), DISCO_GUARD_METADATA: '0' }, stdio: 'ignore' });
  const status = await new Promise<number | null>((r) => proc.on('exit', r));
  return { status, log: readFileSync(log, 'utf8') };
}

test('success: every section in order, each signalling SUCCESS; values quoted safely; libs and secrets reach sections', async () => {
  signals.length = 0;
  logins.length = 0;
  const r = await run(['delta'], { alpha: { note: "it's $(touch /tmp/nope) fine" } });
  assert.equal(r.status, 0, r.log);
  assert.match(r.log, /== alpha: start .*\nalpha ran with it's \$\(touch \/tmp\/nope\) fine on c1-worker-0\nhello from alpha lib, 2 cores\n== alpha: done/);
  assert.match(r.log, /== delta: start .*\nhello from alpha lib, 2 cores\n== delta: done/);
  assert.match(r.log, /== alpha-post: start .*\nalpha post sees key line 'two' \$x and \[\]\n== alpha-post: done/);
  assert.ok(r.log.indexOf('== delta: done') < r.log.indexOf('== alpha-post: start'), 'post sections run after every framework');
  assert.ok(!r.log.includes('BEGIN KEY'), 'the secrets are not in the log');
  assert.deepEqual(signals.map((x) => x.body), ['alpha', 'delta', 'alpha-post'].map((sec) => (
    { status: 'SUCCESS', id: sec, reason: `node=c1-worker-0 framework=${sec}: installed`, data: sec })));
  // a fresh token for every signal, from the handle's own credentials
  assert.deepEqual(signals.map((x) => x.token), ['tok-1', 'tok-2', 'tok-3']);
  assert.deepEqual(logins[0], { auth: { identity: { methods: ['password'], password: { user: { id: 'u-1', password: `p'w"$(x)` } } },
    scope: { project: { id: 'p-1' } } } });
  assert.deepEqual(sectionNames(catalog.resolve(['delta'])), ['alpha', 'delta', 'alpha-post']);
});

test('a failing framework stops the script and signals FAILURE naming it', async () => {
  signals.length = 0;
  const r = await run(['gamma'], { alpha: { note: 'n' } });
  assert.equal(r.status, 1);
  assert.ok(!r.log.includes('beta must not get here'), 'set -e holds inside a section');
  assert.ok(!r.log.includes('gamma must not run'));
  assert.deepEqual(signals.map((x) => [x.body.id, x.body.status]), [['alpha', 'SUCCESS'], ['beta', 'FAILURE']]);
  const s = signals[1]!.body;
  assert.equal(s.status, 'FAILURE');
  assert.equal(s.data, 'beta');
  // the failing command (inside a function: the ERR trap is inherited) and its own error line
  assert.match(s.reason!, /^node=c1-worker-0 framework=beta: exit \d+ at `ls \/nonexistent-disco-dir`: .*ls: cannot access '\/nonexistent-disco-dir': No such file or directory/);
  assert.ok(s.reason!.length <= 224, `${s.reason!.length} characters`);
});

test("a failure after long output: the reason keeps the log's end, within what Heat keeps", async () => {
  signals.length = 0;
  const r = await run(['noisy'], { alpha: { note: 'n' } });
  assert.equal(r.status, 1);
  const s = signals.at(-1)!.body;
  assert.equal(s.id, 'noisy');
  assert.match(s.reason!, /^node=c1-worker-0 framework=noisy: \.\.\.0+ \| cat: \/no\/such\/file\.conf: No such file or directory$/);
  assert.ok(s.reason!.length <= 224 && s.reason!.length > 200, `${s.reason!.length} characters`);
});

test('a signal answered 503 is sent again, with a new token', async () => {
  signals.length = 0;
  logins.length = 0;
  failNext = 2;
  const r = await run(['alpha'], { alpha: { note: 'n' } });
  assert.equal(r.status, 0, r.log);
  assert.deepEqual(signals.map((x) => [x.body.id, x.body.status, x.token]), [['alpha', 'SUCCESS', 'tok-3'], ['alpha-post', 'SUCCESS', 'tok-4']]);
  assert.equal(failNext, 0);
});

test("a section's waits are capped by what is left of the install timeout", async () => {
  const r = await run(['timer'], { alpha: { note: 'n' } });
  assert.equal(r.status, 0, r.log);
  const m = /time left (\d+) and (\d+)/.exec(r.log);
  assert.ok(m, r.log);
  assert.ok(Number(m[1]) <= 510 && Number(m[1]) >= 500, m[1]);
  assert.equal(m[2], '30');
});
