// The ICCLab README flow, sent verbatim against the local cloud: create with the old
// headers and the Python-dict inject, watch it deploy and become ready with an IP and both
// keys, list it, delete it, and find nothing left: no stack, no application credential,
// no record. Then the service's logs and its SQLite file are scanned for secrets.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import request from 'supertest';
import { emptyLane } from '../helpers/heat.js';
import { cloud, cloudEnv } from '../helpers/cloud.js';
import { startNodeSim, type RunningSim } from '../helpers/node-sim.js';
import { icclabAttributes, inProcess, KIND_CATEGORY, passwordHeaders, textAttributes } from '../helpers/service.js';

/** This file's own project: it runs beside the others (test/run.ts). */
const LANE = 'icclab';
// stacks an earlier, interrupted run left in this lane go first
before(() => emptyLane(cloud(LANE).heat));

const { service, logs, env } = inProcess();
const os = cloud(LANE);
let sim: RunningSim | undefined;
before(async () => { sim = await startNodeSim(['--project', LANE]); }); // the fake servers' bootstrap
after(async () => { await service.close(); await sim?.stop(); });

test('ICCLab flow: create, deploying, ready, list, delete, gone', { timeout: 1_200_000 }, async () => {
  await service.startWorker();
  const api = request(service.app);
  const creds = passwordHeaders(LANE);

  const created = await api.post('/disco/')
    .set('Category', KIND_CATEGORY).set('Content-type', 'text/occi').set(creds)
    .set('X-OCCI-Attribute', icclabAttributes(2));
  assert.equal(created.status, 201, created.text);
  assert.equal(created.text, 'OK');
  const location = created.headers.location as string;
  assert.match(location, /^http:\/\/127\.0\.0\.1:\d+\/disco\/[0-9a-f-]{36}$/);
  const path = new URL(location).pathname;
  const id = path.split('/')[2]!;

  // watch it as the old dashboard did
  const states: string[] = [];
  let attrs = new Map<string, string>();
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    const got = await api.get(path).set(creds);
    assert.equal(got.status, 200, got.text);
    attrs = textAttributes(got.text);
    const state = attrs.get('icclab.disco.state')!;
    if (states.at(-1) !== state) states.push(state);
    if (state === 'ready' || state === 'failed') break;
    await sleep(300);
  }
  assert.ok(states.includes('deploying'), `states seen: ${states.join(' -> ')}`);
  assert.equal(states.at(-1), 'ready', `states seen: ${states.join(' -> ')}; ${attrs.get('icclab.disco.message')}`);
  assert.equal(attrs.get('occi.core.id'), id);
  assert.equal(attrs.get('stack_status'), 'CREATE_COMPLETE');
  assert.equal(attrs.get('mcn.service.state'), 'ready');
  assert.equal(attrs.get('runstate'), 'running');
  assert.equal(attrs.get('icclab.disco.progress'), '3/3 servers up, 3/3 nodes installed; bootstrap 3/3, hadoop 3/3, jupyter 3/3, spark 3/3, zeppelin 3/3, bootstrap-post 3/3');
  assert.match(attrs.get('external_ip') ?? '', /^192\.0\.2\.\d+$/);
  assert.equal(attrs.get('icclab.disco.components.heat.slavecount'), '2');
  assert.ok(!attrs.has('icclab.disco.deployer.password'));

  // the private key is a real OpenSSH key whose public half is the one shown
  const dir = mkdtempSync(join(tmpdir(), 'key-'));
  try {
    writeFileSync(join(dir, 'id'), attrs.get('ssh_private_key')!, { mode: 0o600 });
    const derived = execFileSync('ssh-keygen', ['-y', '-f', join(dir, 'id')], { encoding: 'utf8' }).split(' ').slice(0, 2).join(' ');
    assert.equal(derived, attrs.get('ssh_public_key')!.split(' ').slice(0, 2).join(' '));
  } finally { rmSync(dir, { recursive: true }); }

  // Heat holds exactly one stack for it, with that key pair and two workers
  const stacks = (await os.heat.listStacks()).filter((s) => s.name === `disco-${id}`);
  assert.equal(stacks.length, 1);
  assert.equal(stacks[0]!.id, attrs.get('stackid'));
  const servers = (await os.heat.resources(stacks[0]!, { nestedDepth: 2 })).filter((r) => r.type === 'OS::Nova::Server');
  assert.equal(servers.length, 3);

  // at rest while the cluster lives: no private key, no token (fernet tokens start gAAAAA)
  scanDataDir([attrs.get('ssh_private_key')!.split('\n')[1]!, 'PRIVATE KEY', 'gAAAAA', cloudEnv().OS_PASSWORD]);

  const list = await api.get('/disco/').set(creds);
  assert.equal(list.status, 200);
  assert.ok(list.text.split('\n').some((l) => l.startsWith('X-OCCI-Location: ') && l.endsWith(path)), list.text);

  const del = await api.delete(path).set(creds);
  assert.equal(del.status, 200, del.text);
  let last = 0;
  for (let i = 0; i < 120 && last !== 404; i++) {
    last = (await api.get(path).set(creds)).status;
    if (last !== 404) await sleep(500);
  }
  assert.equal(last, 404, 'GET answers 404 once the cluster is gone');
  let left = 1;
  for (let i = 0; i < 20 && left; i++) {
    left = (await os.heat.listStacks({ name: `disco-${id}` })).length;
    if (left) await sleep(500);
  }
  assert.equal(left, 0, 'the stack is gone from Heat');
  const token = await os.session.token();
  assert.deepEqual(await os.keystone.findApplicationCredentials(token, `disco-${id}`), [], 'the application credential is gone');
  assert.ok(!(await api.get('/disco/').set(creds)).text.includes(id));

  // no password, token or private key in any log line or in the SQLite files
  const secrets = [cloudEnv().OS_PASSWORD, attrs.get('ssh_private_key')!.split('\n')[1]!, 'PRIVATE KEY', token.value];
  assert.ok(logs.length > 20, `the service logged (${logs.length} lines)`);
  for (const s of secrets) for (const l of logs) assert.ok(!l.includes(s), `secret in a log line: ${l.slice(0, 160)}`);
  scanDataDir(secrets);
});

function scanDataDir(secrets: string[]): void {
  const files = readdirSync(env.SM_DATA_DIR!).filter((f) => f.startsWith('clusters.sqlite'));
  assert.ok(files.length >= 1);
  for (const f of files) {
    const bytes = readFileSync(join(env.SM_DATA_DIR!, f));
    for (const s of secrets) assert.ok(!bytes.includes(s), `a secret in clear in ${f}`);
  }
}
