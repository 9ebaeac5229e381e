// Configuration loading, the secret box, and the in-process job queue.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config/load.js';
import { loadSecretKey, SecretBox, SecretBoxError } from '../../src/crypto/secret-box.js';
import { LocalJobQueue } from '../../src/queue/local-queue.js';

test('etc/sm.json defaults, and environment overrides', () => {
  const c = loadConfig({});
  assert.equal(c.port, 8888);
  assert.equal(c.dataDir, './var/data');
  assert.equal(c.mode, 'embedded');
  assert.equal(c.host, '127.0.0.1');
  const o = loadConfig({ SM_PORT: '9999', SM_DATA_DIR: '/tmp/x', SM_ACCESS_CIDR: '198.51.100.0/24', SM_PUBLIC_URL: 'null' });
  assert.deepEqual([o.port, o.dataDir, o.clusters.accessCidr, o.publicUrl], [9999, '/tmp/x', '198.51.100.0/24', null]);
});

test('timers in seconds: the defaults, the _SECONDS variables, the older _MINUTES ones (a _SECONDS one given too wins)', () => {
  const p = loadConfig({}).provisioning;
  assert.deepEqual([p.installTimeoutSeconds, p.updateTimeoutSeconds, p.deleteTimeoutSeconds, p.failedRetentionSeconds, p.createInDoubtSeconds],
    [3600, 3600, 1800, 86_400, 180]);
  const m = loadConfig({ SM_INSTALL_TIMEOUT_MINUTES: '2', SM_FAILED_RETENTION_MINUTES: '0', SM_DELETE_TIMEOUT_MINUTES: '3', SM_UPDATE_TIMEOUT_MINUTES: '4' }).provisioning;
  assert.deepEqual([m.installTimeoutSeconds, m.failedRetentionSeconds, m.deleteTimeoutSeconds, m.updateTimeoutSeconds], [120, 0, 180, 240]);
  const s = loadConfig({ SM_INSTALL_TIMEOUT_MINUTES: '2', SM_INSTALL_TIMEOUT_SECONDS: '15', SM_CREATE_IN_DOUBT_SECONDS: '60' }).provisioning;
  assert.deepEqual([s.installTimeoutSeconds, s.createInDoubtSeconds], [15, 60]);
  // openstack.timeoutMs is 30,000 in etc/sm.json: a doubt shorter than two of them is refused
  assert.throws(() => loadConfig({ SM_CREATE_IN_DOUBT_SECONDS: '59' }),
    /provisioning\.createInDoubtSeconds \(59, SM_CREATE_IN_DOUBT_SECONDS\) must be at least twice openstack\.timeoutMs \(30000 ms\)/);
  assert.throws(() => loadConfig({ SM_UPDATE_TIMEOUT_SECONDS: '0' }), /provisioning\.updateTimeoutSeconds/);
});

test('endpoint overrides: none by default; SM_ENDPOINT_OVERRIDES takes type=url pairs, and refuses what is not one', () => {
  assert.deepEqual(loadConfig({}).openstack.endpointOverrides, {});
  const o = loadConfig({ SM_ENDPOINT_OVERRIDES: 'orchestration=http://10.0.2.2:8004/v1/%(project_id)s, compute=http://10.0.2.2:8774/v2.1' }).openstack.endpointOverrides;
  assert.deepEqual(o, { orchestration: 'http://10.0.2.2:8004/v1/%(project_id)s', compute: 'http://10.0.2.2:8774/v2.1' });
  assert.throws(() => loadConfig({ SM_ENDPOINT_OVERRIDES: 'orchestration' }), /SM_ENDPOINT_OVERRIDES: "orchestration" is not name=value/);
  assert.throws(() => loadConfig({ SM_ENDPOINT_OVERRIDES: 'compute=ftp://x' }), /openstack\.endpointOverrides\.compute: must match pattern/);
  assert.throws(() => loadConfig({ SM_ENDPOINT_OVERRIDES: 'Bad Type=http://x' }), /openstack\.endpointOverrides: must NOT have additional properties "Bad Type"/);
});

test('a wrong value stops start-up with the key named', () => {
  assert.throws(() => loadConfig({ SM_PORT: 'eighty' }), (e: unknown) => e instanceof ConfigError && /SM_PORT="eighty": port must be an integer/.test(e.message));
  assert.throws(() => loadConfig({ SM_PORT: '70000' }), /port: must be <= 65535/);
  assert.throws(() => loadConfig({ SM_MODE: 'cloudy' }), /mode: must be equal to one of the allowed values/);
  assert.throws(() => loadConfig({ SM_ACCESS_CIDR: '0.0.0.0' }), /clusters\.accessCidr/);
  assert.throws(() => loadConfig({ SM_HEADERS_TIMEOUT_SECONDS: '40', SM_REQUEST_TIMEOUT_SECONDS: '30' }),
    /http\.headersTimeoutSeconds \(40, SM_HEADERS_TIMEOUT_SECONDS\) must not exceed http\.requestTimeoutSeconds \(30/);
  assert.throws(() => loadConfig({ SM_ADMIN_PORT: '-1' }), /admin\.port: must be >= 0/);
  assert.throws(() => loadConfig({ SM_MAX_CLUSTERS_PER_PROJECT: '0' }), /maxClustersPerProject: must be >= 1/);
  const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
  const file = join(dir, 'sm.json');
  const base = JSON.parse(readFileSync(new URL('../../etc/sm.json', import.meta.url), 'utf8')) as Record<string, unknown>;
  writeFileSync(file, JSON.stringify({ ...base, keystone: { ...(base.keystone as object), tokenCacheSeconds: -1 }, extra: 1 }));
  assert.throws(() => loadConfig({ SM_CONFIG: file }), /keystone\.tokenCacheSeconds: must be >= 0/);
  assert.throws(() => loadConfig({ SM_CONFIG: file }), /must NOT have additional properties "extra"/);
});

test('the secret box: round trip, bound to its context, tamper-evident', () => {
  const box = new SecretBox(randomBytes(32));
  const sealed = box.seal('s3cret value', 'cluster:a');
  assert.ok(sealed.startsWith(`v2:${box.keyId}:`) && !sealed.includes('s3cret'), 'names the key that sealed it');
  assert.notEqual(box.seal('s3cret value', 'cluster:a'), sealed, 'a fresh IV each time');
  assert.equal(box.open(sealed, 'cluster:a'), 's3cret value');
  assert.throws(() => box.open(sealed, 'cluster:b'), SecretBoxError, 'moved to another record');
  const head = `v2:${box.keyId}:`;
  const raw = Buffer.from(sealed.slice(head.length), 'base64');
  raw[raw.length - 1]! ^= 1;
  assert.throws(() => box.open(`${head}${raw.toString('base64')}`, 'cluster:a'), SecretBoxError);
  assert.throws(() => new SecretBox(randomBytes(31)).open(sealed, 'cluster:a'), SecretBoxError);
  assert.throws(() => new SecretBox(randomBytes(32)).open(sealed, 'cluster:a'), /does not open with this key/);
});

test('the key: configured, generated once in embedded mode, required in production', () => {
  const dir = mkdtempSync(join(tmpdir(), 'key-'));
  const k1 = loadSecretKey({ configured: null, mode: 'embedded', dataDir: dir });
  assert.equal(k1.length, 32);
  assert.equal(statSync(join(dir, 'secret.key')).mode & 0o777, 0o600);
  assert.deepEqual(loadSecretKey({ configured: null, mode: 'embedded', dataDir: dir }), k1, 'the same key after a restart');
  assert.throws(() => loadSecretKey({ configured: null, mode: 'production', dataDir: dir }), /production mode needs a secret key: set SM_SECRET_KEY/);
  const given = randomBytes(32);
  assert.deepEqual(loadSecretKey({ configured: given.toString('base64'), mode: 'production', dataDir: dir }), given);
});

test('the local queue: one run per id at a time, sooner requests win, requeue and retry', async () => {
  const q = new LocalJobQueue({ concurrency: 4, retryCapMs: 1000 });
  const runs: string[] = [];
  const activeIds = new Set<string>();
  let overlapped = false;
  let failOnce = true;
  q.process(async (id) => {
    if (activeIds.has(id)) overlapped = true;
    activeIds.add(id);
    runs.push(id);
    await sleep(30);
    activeIds.delete(id);
    if (id === 'b' && failOnce) { failOnce = false; throw new Error('transient'); }
    if (id === 'a' && runs.filter((x) => x === 'a').length < 3) return { requeueAfterMs: 10 };
    if (id === 'd' && runs.filter((x) => x === 'd').length === 1) await q.enqueue('d'); // asked again while it runs
    return {};
  });
  await q.enqueue('a', 1000);
  await q.enqueue('a', 0); // sooner wins over the later request
  await q.enqueue('a', 0); // a duplicate is one job
  await q.enqueue('b');
  await q.enqueue('d');
  await sleep(1800);
  assert.equal(runs.filter((x) => x === 'a').length, 3, runs.join(','));
  assert.equal(runs.filter((x) => x === 'd').length, 2, 'a request made while the job ran is served after it');
  assert.equal(runs.filter((x) => x === 'b').length, 2, 'retried after the error');
  assert.equal(overlapped, false, 'never two runs of one id at once');
  await q.close();
  await q.enqueue('c');
  await sleep(50);
  assert.ok(!runs.includes('c'), 'a closed queue takes no work');
});
