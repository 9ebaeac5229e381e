// Key rotation with real processes, on a data directory whose records were sealed with key A
// (written straight through the store: no stack, no OpenStack call): started with key B
// alone the service refuses to start (exit 2) naming A's key id and SM_SECRET_KEYS; with
// SM_SECRET_KEY=B and SM_SECRET_KEYS=A it starts and its sweep re-seals the records with B
// (a post_init an older version kept in clear goes into the sealed secrets on the way); then
// B alone starts.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import type { ClusterRecord } from '../../src/clusters/record.js';
import { openSecrets, sealSecrets } from '../../src/clusters/secrets.js';
import { SecretBox } from '../../src/crypto/secret-box.js';
import { SqliteClusterStore } from '../../src/store/sqlite-store.js';
import { sampleRecord } from '../contract/store.js';
import { spawnService, testEnv } from '../helpers/service.js';
import { sealV1 } from '../helpers/sealed-v1.js';

const A = randomBytes(32);
const B = randomBytes(32);
const POST_INIT = 'echo "api_token=s3cr3t-post-init" > /root/.token';
const ATTR_POST_INIT = 'icclab.disco.components.bootstrap.post_init';

/** A key's id, as the README tells operators to compute it: printf %s "$KEY" | base64 -d | sha256sum | cut -c1-12. */
const keyId = (key: Buffer) => createHash('sha256').update(key).digest('hex').slice(0, 12);
/** The key id a sealed value names: "v2:<key id>:...". */
const sealedKeyId = (sealed: string) => /^v2:([0-9a-f]{12}):/.exec(sealed)?.[1];


/** A settled cluster (ready, no expiry): the sweep gives it no job, so nothing asks OpenStack. */
function ready(id: string, sealedSecrets: string, over: Partial<ClusterRecord> = {}): ClusterRecord {
  const r = sampleRecord(id, 'p-rotation', new Date().toISOString(), 'ready');
  return { ...r, spec: { ...r.spec, frameworks: [{ name: 'bootstrap', version: '1' }, { name: 'hadoop', version: null }] }, sealedSecrets, ...over };
}

test('a wrong SM_SECRET_KEY stops start-up naming the key id; with the old key in SM_SECRET_KEYS it starts and re-seals', { timeout: 180_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'disco-sm-keys-'));
  const store = new SqliteClusterStore(dir);
  try {
    await store.create(ready('rec-v2', sealSecrets(new SecretBox(A), 'rec-v2', { sshPrivateKey: 'private-key-2', appCredentialSecret: 'acs-2' })));
    // written by an older version: v1, and post_init in clear
    await store.create(ready('rec-v1', sealV1(A, JSON.stringify({ sshPrivateKey: 'private-key-1' }), 'cluster:rec-v1'), {
      spec: { ...ready('x', '').spec, components: { bootstrap: { post_init: POST_INIT }, hadoop: { replicas: 2 } } },
      attributes: { [ATTR_POST_INIT]: POST_INIT, 'icclab.disco.clustersize': 2 },
    }));
  } finally { await store.close(); }
  const env = testEnv({ SM_DATA_DIR: dir, SM_PORT: '0', SM_SECRET_KEY: B.toString('base64') });

  // key B alone: exit 2, naming A's id and what to do
  const refused = await spawnService(env).then(
    (c) => { c.kill('SIGKILL'); return 'it started'; },
    (e: Error) => e.message);
  assert.match(refused, /^exited with 2:/, refused);
  assert.match(refused, new RegExp(`disco-sm: the secret key does not open the stored secrets: 1 cluster record\\(s\\) \\(rec-v2\\) hold secrets sealed with key id ${keyId(A)}, which is not configured`));
  assert.match(refused, /cluster record rec-v1 holds secrets sealed in the v1 format/);
  assert.match(refused, new RegExp(`SM_SECRET_KEY is key id ${keyId(B)}; SM_SECRET_KEYS: none`));
  assert.match(refused, /list the old key in SM_SECRET_KEYS/);
  assert.ok(!refused.includes(A.toString('base64')) && !refused.includes(B.toString('base64')), 'never a key');

  // B, with A to read: starts, and the start-up sweep re-seals both records with B
  const rotating = await spawnService({ ...env, SM_SECRET_KEYS: A.toString('base64') });
  let records: ClusterRecord[] = [];
  try {
    const reader = new SqliteClusterStore(dir);
    try {
      for (let i = 0; i < 100; i++) {
        records = (await Promise.all(['rec-v2', 'rec-v1'].map((id) => reader.get(id)))).filter((r) => r !== undefined);
        if (records.every((r) => sealedKeyId(r.sealedSecrets) === keyId(B))) break;
        await sleep(200);
      }
    } finally { await reader.close(); }
    assert.deepEqual(records.map((r) => sealedKeyId(r.sealedSecrets)), [keyId(B), keyId(B)], rotating.lines.join('\n'));
    assert.ok(rotating.lines.some((l) => /secrets re-sealed with the current key/.test(l)), 'the log says so');
  } finally {
    rotating.kill('SIGTERM');
    assert.equal(await rotating.exited, 0);
  }
  const onlyB = new SecretBox(B);
  const [v2, v1] = records as [ClusterRecord, ClusterRecord];
  assert.deepEqual(openSecrets(onlyB, v2), { sshPrivateKey: 'private-key-2', appCredentialSecret: 'acs-2' });
  assert.deepEqual(openSecrets(onlyB, v1), { sshPrivateKey: 'private-key-1', frameworkSecrets: { bootstrap: { post_init: POST_INIT } } });
  assert.ok(!JSON.stringify({ ...v1, sealedSecrets: '' }).includes('s3cr3t-post-init'), 'post_init is no longer in clear');
  assert.deepEqual(v1.attributes, { 'icclab.disco.clustersize': 2 });

  // the old key can go now: B alone starts
  const after = await spawnService(env);
  after.kill('SIGTERM');
  assert.equal(await after.exited, 0);
});
