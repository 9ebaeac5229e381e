// Secrets at rest, operable: keys with ids, older keys that only open, the v1 format still
// read, the start-up check of the stored records, re-sealing with the current key (a pure
// function, and the worker's sweep), and bootstrap.post_init sealed like the other secret
// properties yet delivered to the nodes as before.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { ClusterRecord, ClusterSpec } from '../../src/clusters/record.js';
import {
  checkSealedKeys, makeClusterSecrets, nodeSecrets, openSecrets, ownerSecrets, resealRecord, sealSecrets,
} from '../../src/clusters/secrets.js';
import { buildSpec, storedAttributes } from '../../src/clusters/spec.js';
import { loadConfig } from '../../src/config/load.js';
import { keyId, loadOlderKeys, SecretBox, SecretBoxError, sealedKeyId } from '../../src/crypto/secret-box.js';
import type { DomainError } from '../../src/errors/domain-error.js';
import { FrameworkCatalog } from '../../src/frameworks/catalog.js';
import { settleProperties } from '../../src/frameworks/properties.js';
import { BaseTemplateRenderer, type RenderContext } from '../../src/heat/renderer.js';
import { nodeScriptBody } from '../../src/heat/user-data.js';
import { silentLogger } from '../../src/log/logger.js';
import { checkStoreKeys } from '../../src/provisioning/key-check.js';
import { Worker } from '../../src/provisioning/worker.js';
import type { Reconciler } from '../../src/provisioning/reconciler.js';
import type { JobQueue } from '../../src/queue/job-queue.js';
import { SqliteClusterStore } from '../../src/store/sqlite-store.js';
import { sampleRecord } from '../contract/store.js';
import { sealV1 } from '../helpers/sealed-v1.js';

const catalog = FrameworkCatalog.load();
const renderer = new BaseTemplateRenderer(catalog);
const A = randomBytes(32);
const B = randomBytes(32);
const C = randomBytes(32);


test('keys have ids (a hash of the key); a sealed value names the id of the key that sealed it', () => {
  assert.equal(keyId(A), createHash('sha256').update(A).digest('hex').slice(0, 12));
  assert.notEqual(keyId(A), keyId(B));
  const box = new SecretBox(A);
  assert.equal(box.keyId, keyId(A));
  const sealed = box.seal('s3cret', 'cluster:x');
  assert.match(sealed, new RegExp(`^v2:${keyId(A)}:[A-Za-z0-9+/=]+$`));
  assert.equal(sealedKeyId(sealed), keyId(A));
  assert.equal(sealedKeyId(sealV1(A, 's', 'c')), null, 'v1 names no key');
  assert.equal(sealedKeyId('plain text'), undefined);
  assert.ok(!sealed.includes(A.toString('base64')) && !sealed.includes(A.toString('hex')));
});

test('older keys only open: a box with key B and older key A opens what A sealed and seals with B', () => {
  const sealedByA = new SecretBox(A).seal('from A', 'cluster:x');
  const rotated = new SecretBox(B, [A]);
  assert.equal(rotated.open(sealedByA, 'cluster:x'), 'from A');
  assert.equal(sealedKeyId(rotated.seal('new', 'cluster:x')), keyId(B), 'seals with the current key only');
  assert.deepEqual(rotated.olderKeyIds, [keyId(A)]);
  assert.ok(rotated.hasKey(keyId(A)) && rotated.hasKey(keyId(B)) && !rotated.hasKey(keyId(C)));
  assert.deepEqual(new SecretBox(B, [A, B, A]).olderKeyIds, [keyId(A)], 'each key once');
  assert.throws(() => rotated.open(sealedByA, 'cluster:y'), SecretBoxError, 'still bound to its record');
});

test('the v1 format (no key id) is still read, with the current key or an older one', () => {
  assert.equal(new SecretBox(A).open(sealV1(A, 'old value', 'cluster:x'), 'cluster:x'), 'old value');
  assert.equal(new SecretBox(B, [C, A]).open(sealV1(A, 'old value', 'cluster:x'), 'cluster:x'), 'old value');
  assert.throws(() => new SecretBox(B, [C]).open(sealV1(A, 'old value', 'cluster:x'), 'cluster:x'),
    /v1, naming no key\) does not open with this key \(wrong SM_SECRET_KEY\?\)/);
});

test('a wrong key: the message names the key id needed and the configured ones, never a key', () => {
  const sealed = new SecretBox(A).seal('x', 'cluster:x');
  const wrong = new SecretBox(B, [C]);
  assert.throws(() => wrong.open(sealed, 'cluster:x'), (e: Error) => e instanceof SecretBoxError
    && e.message.includes(`key id ${keyId(A)}`) && e.message.includes(`SM_SECRET_KEY is key id ${keyId(B)}`)
    && e.message.includes(`SM_SECRET_KEYS: key ids ${keyId(C)}`) && !e.message.includes(B.toString('base64')));
});

test('reseal: to the current key, the same string when it already is; the record id stays the additional data', () => {
  const box = new SecretBox(B, [A]);
  const old = new SecretBox(A).seal('v', 'cluster:x');
  const again = box.reseal(old, 'cluster:x');
  assert.equal(sealedKeyId(again), keyId(B));
  assert.equal(new SecretBox(B).open(again, 'cluster:x'), 'v', 'opens without the old key');
  assert.throws(() => box.open(again, 'cluster:y'));
  assert.equal(box.reseal(again, 'cluster:x'), again);
  assert.equal(sealedKeyId(box.reseal(sealV1(A, 'v', 'cluster:x'), 'cluster:x')), keyId(B), 'v1 values too');
});

test('SM_SECRET_KEYS: comma-separated base64 keys (secretKeys), each checked', () => {
  assert.deepEqual(loadConfig({}).secretKeys, []);
  const c = loadConfig({ SM_SECRET_KEY: B.toString('base64'), SM_SECRET_KEYS: ` ${A.toString('base64')}, ${C.toString('base64')} ` });
  assert.deepEqual(c.secretKeys, [A.toString('base64'), C.toString('base64')]);
  assert.deepEqual(loadOlderKeys(c.secretKeys), [A, C]);
  assert.throws(() => loadConfig({ SM_SECRET_KEYS: 'not-a-key' }), /secretKeys\/0|secretKeys\.0/);
  assert.throws(() => loadOlderKeys(['AAAA']), /SM_SECRET_KEYS \(secretKeys\): entry 1 is not base64 of 32 bytes/);
});

test('the start-up check: passes when every record opens, else names the key id needed and SM_SECRET_KEYS', () => {
  const recs = (box: SecretBox, n: number) => Array.from({ length: n }, (_, i) => ({ id: `r${i}`, sealedSecrets: box.seal('{}', `cluster:r${i}`) }));
  const byA = recs(new SecretBox(A), 5);
  assert.equal(checkSealedKeys(new SecretBox(A), byA), undefined);
  assert.equal(checkSealedKeys(new SecretBox(B, [A]), [...byA, ...recs(new SecretBox(B), 2)]), undefined);
  const why = checkSealedKeys(new SecretBox(B), byA)!;
  assert.match(why, new RegExp(`5 cluster record\\(s\\) \\(r0, r1, r2, \\.\\.\\.\\) hold secrets sealed with key id ${keyId(A)}, which is not configured`));
  assert.match(why, new RegExp(`SM_SECRET_KEY is key id ${keyId(B)}; SM_SECRET_KEYS: none`));
  assert.match(why, /list the old key in SM_SECRET_KEYS/);
  // v1 values: tried (a few), with every configured key
  const v1 = [{ id: 'o', sealedSecrets: sealV1(A, '{}', 'cluster:o') }];
  assert.equal(checkSealedKeys(new SecretBox(B, [A]), v1), undefined);
  assert.match(checkSealedKeys(new SecretBox(B), v1)!, /cluster record o holds secrets sealed in the v1 format \(it names no key id\) with a key that is not configured/);
  assert.match(checkSealedKeys(new SecretBox(A), [{ id: 'g', sealedSecrets: 'garbage' }])!, /cluster record\(s\) g hold no sealed secrets/);
});

test('the start-up check is cheap: v2 values are judged by their key id, without decrypting; only a few v1 values are tried', () => {
  const box = new SecretBox(A);
  // a value naming a configured key id is not opened (this one would not open)
  assert.equal(checkSealedKeys(box, [{ id: 'x', sealedSecrets: `v2:${keyId(A)}:AAAA` }]), undefined);
  const many = Array.from({ length: 20_000 }, (_, i) => ({ id: `r${i}`, sealedSecrets: `v2:${keyId(A)}:AAAA` }));
  const t = performance.now();
  assert.equal(checkSealedKeys(box, many), undefined);
  assert.ok(performance.now() - t < 500, `20,000 records checked in ${performance.now() - t} ms`);
  const v1 = Array.from({ length: 3 }, (_, i) => ({ id: `o${i}`, sealedSecrets: sealV1(A, '{}', `cluster:o${i}`) }));
  assert.equal(checkSealedKeys(box, [...v1, { id: 'bad', sealedSecrets: sealV1(B, '{}', 'cluster:bad') }]), undefined,
    'v1 values were all sealed with the one key of their time: three that open stand for the rest');
});

function spec(components: ClusterSpec['components'] = {}): ClusterSpec {
  const frameworks = catalog.resolve(['hadoop']).map((f) => ({ name: f.name, version: f.version }));
  return {
    name: 'c', networkName: 'c-net', externalNetwork: 'public', masterImage: 'img', workerImage: 'img',
    masterFlavor: 'm1.small', workerFlavor: 'm1.small', workers: 2, frameworks, components,
    facts: { workers: 2, nodes: 3, master_vcpus: 1, master_ram_mb: 2048, master_disk_gb: 20, worker_vcpus: 1, worker_ram_mb: 2048, worker_disk_gb: 20 },
  };
}

function record(id: string, sealedSecrets: string, over: Partial<ClusterRecord> = {}): ClusterRecord {
  return { ...sampleRecord(id, 'p1', '2026-01-01T00:00:00.000Z', 'ready'), spec: spec({ hadoop: { replication: 2 } }), sealedSecrets, ...over };
}

test('resealRecord: secrets an older key sealed are sealed with the current one; nothing else changes', () => {
  const box = new SecretBox(B, [A]);
  const r = record('r1', sealSecrets(new SecretBox(A), 'r1', { sshPrivateKey: 'pk', appCredentialSecret: 'acs' }));
  const next = resealRecord(box, r, catalog)!;
  assert.equal(sealedKeyId(next.sealedSecrets), keyId(B));
  assert.deepEqual({ ...next, sealedSecrets: r.sealedSecrets }, r);
  assert.deepEqual(openSecrets(new SecretBox(B), next), { sshPrivateKey: 'pk', appCredentialSecret: 'acs' });
  assert.throws(() => openSecrets(new SecretBox(B), { ...next, id: 'r2' }), 'the record id is still the additional data');
  assert.equal(resealRecord(box, next, catalog), undefined, 'nothing to do once current');
  const v1 = record('r3', sealV1(A, JSON.stringify({ sshPrivateKey: 'pk' }), 'cluster:r3'));
  assert.equal(sealedKeyId(resealRecord(box, v1, catalog)!.sealedSecrets), keyId(B));
  assert.throws(() => resealRecord(new SecretBox(C), r, catalog), SecretBoxError, 'a key it lacks: left alone');
});

test('resealRecord: a post_init an older version kept in clear moves into the sealed secrets', () => {
  const box = new SecretBox(A);
  const script = '#!/bin/sh\necho "token=abc123" > /etc/app.conf\n';
  const attr = 'icclab.disco.components.bootstrap.post_init';
  const r = record('r1', sealSecrets(box, 'r1', { sshPrivateKey: 'pk', frameworkSecrets: { disco: { cookie: 'c00k1e' } } }), {
    spec: spec({ bootstrap: { post_init: script, worker_multiplier: 1 }, hadoop: { replication: 2 } }),
    attributes: { [attr]: script, 'icclab.disco.components.heat.slavecount': 2 },
  });
  const next = resealRecord(box, r, catalog)!;
  assert.ok(!JSON.stringify({ ...next, sealedSecrets: '' }).includes('abc123'), 'in clear nowhere');
  assert.deepEqual(next.spec.components, { bootstrap: { worker_multiplier: 1 }, hadoop: { replication: 2 } });
  assert.deepEqual(next.attributes, { 'icclab.disco.components.heat.slavecount': 2 });
  assert.deepEqual(openSecrets(box, next).frameworkSecrets, { disco: { cookie: 'c00k1e' }, bootstrap: { post_init: script } });
  assert.equal(resealRecord(box, next, catalog), undefined);
});

test('the worker sweep re-seals every record with the current key, atomically, and leaves what it cannot open', async () => {
  const store = new SqliteClusterStore(mkdtempSync(join(tmpdir(), 'reseal-')));
  try {
    await store.create(record('a', sealSecrets(new SecretBox(A), 'a', { sshPrivateKey: 'ka' })));
    await store.create(record('b', sealSecrets(new SecretBox(B), 'b', { sshPrivateKey: 'kb' })));
    await store.create(record('c', sealSecrets(new SecretBox(C), 'c', { sshPrivateKey: 'kc' })));
    const ensured: string[] = [];
    const queue = { ensure: async (id: string) => { ensured.push(id); }, process() { /* no jobs here */ } } as unknown as JobQueue;
    const worker = new Worker({ store, queue, reconciler: {} as Reconciler, logger: silentLogger, reseal: { box: new SecretBox(B, [A]), catalog } });
    await worker.sweep();
    assert.equal(sealedKeyId((await store.get('a'))!.sealedSecrets), keyId(B), 'A -> B');
    assert.equal(openSecrets(new SecretBox(B), (await store.get('a'))!).sshPrivateKey, 'ka');
    assert.equal((await store.get('b'))!.revision, 1, 'already current: not written');
    assert.equal(sealedKeyId((await store.get('c'))!.sealedSecrets), keyId(C), 'a key this process lacks: left as it is');
    assert.equal(await checkStoreKeys(store, new SecretBox(B, [C])), undefined, 'A is no longer needed');
    assert.match((await checkStoreKeys(store, new SecretBox(B)))!, new RegExp(`key id ${keyId(C)}`));
  } finally { await store.close(); }
});

const POST_INIT = '#!/bin/bash\nset -e\necho "db_password=hunter22-secret" > /root/.dbrc\n';
const ATTR_POST_INIT = 'icclab.disco.components.bootstrap.post_init';

/** A create as cluster-service.ts does it: spec, settled properties, the size check, the record (through JSON, as stored). */
function createRecord(box: SecretBox, attrs: Map<string, string>) {
  const id = '00000000-0000-4000-8000-0000000000aa';
  const s = buildSpec(attrs, [], loadConfig({}).clusters, catalog, id);
  s.facts = spec().facts;
  const frameworks = s.frameworks.map((f) => catalog.get(f.name)!);
  const settled = settleProperties(frameworks, s.components, s.facts!);
  s.components = settled.properties;
  const ctx: RenderContext = { clusterId: id, sshPublicKey: 'ssh-ed25519 AAAA k', settings: loadConfig({}).clusters, installTimeoutSeconds: 600, nodeSecrets: null };
  const checked = renderer.render(s, ctx);
  const r = record(id, sealSecrets(box, id, { sshPrivateKey: 'pk', ...makeClusterSecrets(id, frameworks, settled.secrets, s.components) }), {
    spec: s, attributes: storedAttributes(attrs, s, catalog) as ClusterRecord['attributes'],
  });
  return { stored: JSON.parse(JSON.stringify(r)) as ClusterRecord, checked, ctx, frameworks };
}

test('post_init is sealed: in clear neither in the record nor its spec, shown to the owner only, delivered to the nodes as before', () => {
  const box = new SecretBox(A);
  const attrs = new Map([[ATTR_POST_INIT, POST_INIT], ['icclab.disco.dependencies.inject', 'hadoop']]);
  const { stored, checked, ctx, frameworks } = createRecord(box, attrs);
  assert.ok(!JSON.stringify({ ...stored, sealedSecrets: '' }).includes('hunter22'), 'not in attributes, not in spec.components');
  assert.equal(stored.attributes[ATTR_POST_INIT], undefined);
  assert.equal(stored.spec.components.bootstrap!.post_init, undefined);
  const secrets = openSecrets(box, stored);
  assert.equal(secrets.frameworkSecrets!.bootstrap!.post_init, POST_INIT);
  // GET: the owner is shown it (with the other owner secrets), from the sealed secrets
  assert.deepEqual(ownerSecrets(secrets, frameworks).filter(([k]) => k === ATTR_POST_INIT), [[ATTR_POST_INIT, POST_INIT]]);
  // the stack create renders from the record: the node script exports it exactly as when it was an open property
  const atCreate = renderer.render(stored.spec, { ...ctx, nodeSecrets: nodeSecrets(secrets) });
  const asBefore = renderer.render({ ...stored.spec, components: { ...stored.spec.components, bootstrap: { ...stored.spec.components.bootstrap, post_init: POST_INIT } } },
    { ...ctx, nodeSecrets: nodeSecrets(secrets) });
  for (const role of ['master', 'worker']) {
    const body = nodeScriptBody(String(atCreate.parameters![`${role}_user_data`]));
    assert.ok(body.includes(`export DISCO_BOOTSTRAP_POST_INIT='#!/bin/bash\nset -e\necho "db_password=hunter22-secret" > /root/.dbrc\n'`), role);
    assert.deepEqual(body.split('\n').sort(), nodeScriptBody(String(asBefore.parameters![`${role}_user_data`])).split('\n').sort(), `${role}: the same script`);
    assert.ok(nodeScriptBody(String(checked.parameters![`${role}_user_data`])).includes('hunter22'), "the create's size check (and the dry run) render it too");
  }
  // and not a second time through the hidden secrets parameter (Nova's limit counts it uncompressed)
  const hidden = Buffer.from(String(atCreate.parameters!.node_secrets), 'base64').toString();
  assert.ok(!/^bootstrap_post_init /m.test(hidden) && /^cluster_private_key /m.test(hidden));
  assert.equal(atCreate.parameters!.node_secrets, asBefore.parameters!.node_secrets);
});

test('post_init: an oversized one is still refused at create, naming it; a record written before it was secret still delivers it', () => {
  const box = new SecretBox(A);
  const noise = randomBytes(40_000).toString('base64');
  assert.throws(() => createRecord(box, new Map([[ATTR_POST_INIT, noise]])),
    (e: DomainError) => e.code === 'INVALID' && e.attribute === ATTR_POST_INIT && /over the 45000 bytes Nova accepts/.test(e.message));
  const legacy = spec({ bootstrap: { post_init: POST_INIT }, hadoop: { replication: 2 } });
  const out = renderer.render(legacy, { clusterId: 'x', sshPublicKey: 'k', settings: loadConfig({}).clusters, installTimeoutSeconds: 600, nodeSecrets: { cluster_private_key: 'p' } });
  assert.ok(nodeScriptBody(String(out.parameters!.master_user_data)).includes('export DISCO_BOOTSTRAP_POST_INIT='));
});
