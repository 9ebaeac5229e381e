// Crash safety of the embedded mode, with real processes: the service is killed with
// SIGKILL while a cluster deploys; after a restart on the same data directory the cluster
// reaches ready and Heat holds exactly one stack for it. Also: `npm start` with no
// configuration answers GET /-/ on its embedded defaults.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import { cloud, cloudEnv } from '../helpers/cloud.js';
import { emptyLane, waitForGone } from '../helpers/heat.js';
import { startNodeSim } from '../helpers/node-sim.js';
import { icclabAttributes, KIND_CATEGORY, passwordHeaders, spawnService, testEnv, textAttributes } from '../helpers/service.js';

/** This file's own project: it runs beside the others (test/run.ts). */
const LANE = 'restart';
// stacks an earlier, interrupted run left in this lane go first
before(() => emptyLane(cloud(LANE).heat));

const demo = passwordHeaders(LANE);

async function get(url: string): Promise<{ status: number; attrs: Map<string, string> }> {
  const r = await fetch(url, { headers: demo });
  return { status: r.status, attrs: textAttributes(await r.text()) };
}

test('kill -9 while deploying, restart: ready, one stack', { timeout: 1_200_000 }, async () => {
  const sim = await startNodeSim(['--project', LANE]);
  after(() => sim.stop());
  const env = testEnv({ SM_PORT: '0' });
  const first = await spawnService(env);
  const res = await fetch(`${first.url}/disco/`, { method: 'POST', headers: {
    ...demo, Category: KIND_CATEGORY, 'Content-Type': 'text/occi', 'X-OCCI-Attribute': icclabAttributes(1) } });
  assert.equal(res.status, 201, await res.text());
  const path = new URL(res.headers.get('location')!).pathname;
  const id = path.split('/')[2]!;

  let state = '';
  for (let i = 0; i < 200 && state !== 'deploying'; i++) {
    state = (await get(`${first.url}${path}`)).attrs.get('icclab.disco.state') ?? '';
    if (state !== 'deploying') await sleep(100);
  }
  assert.equal(state, 'deploying');
  first.kill('SIGKILL');
  await first.exited;

  const second = await spawnService({ ...env });
  const logs = [...first.lines];
  try {
    let attrs = new Map<string, string>();
    for (let i = 0; i < 240; i++) {
      attrs = (await get(`${second.url}${path}`)).attrs;
      if (attrs.get('icclab.disco.state') === 'ready' || attrs.get('icclab.disco.state') === 'failed') break;
      await sleep(500);
    }
    assert.equal(attrs.get('icclab.disco.state'), 'ready', attrs.get('icclab.disco.message'));
    assert.match(attrs.get('external_ip') ?? '', /^192\.0\.2\./);
    const os = cloud(LANE);
    const stacks = (await os.heat.listStacks()).filter((s) => s.name === `disco-${id}`);
    assert.equal(stacks.length, 1, 'exactly one stack');

    const del = await fetch(`${second.url}${path}`, { method: 'DELETE', headers: demo });
    assert.equal(del.status, 200);
    await waitForGone(os.heat, `disco-${id}`);
    for (let i = 0; i < 60 && (await get(`${second.url}${path}`)).status !== 404; i++) await sleep(500);
    assert.equal((await get(`${second.url}${path}`)).status, 404);
  } finally {
    second.kill('SIGTERM');
    await second.exited;
    logs.push(...second.lines);
  }
  // the processes' own logs (debug level) and the data directory hold no secret in clear
  assert.ok(logs.length > 20);
  const secrets = [cloudEnv().OS_PASSWORD, 'PRIVATE KEY', 'gAAAAA'];
  for (const l of logs) for (const s of secrets) assert.ok(!l.includes(s), `a secret in a log line: ${l.slice(0, 160)}`);
  for (const f of readdirSync(env.SM_DATA_DIR!).filter((x) => x.startsWith('clusters.sqlite'))) {
    const bytes = readFileSync(join(env.SM_DATA_DIR!, f));
    for (const s of secrets) assert.ok(!bytes.includes(s), `a secret in clear in ${f}`);
  }
});

test('npm start with no configuration answers GET /-/ on embedded defaults', { timeout: 120_000 }, async () => {
  // only where to keep data and free ports differ from a clean clone's defaults
  const { SM_DATA_DIR } = testEnv();
  const clean: Record<string, string> = { SM_DATA_DIR: SM_DATA_DIR!, SM_PORT: '0', SM_ADMIN_PORT: '0' };
  for (const k of Object.keys(process.env)) if (k.startsWith('SM_') && !(k in clean)) clean[k] = '';
  const svc = await spawnService(clean, ['npm', 'start', '--silent']);
  try {
    const r = await fetch(`${svc.url}/-/`);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('server') ?? '', /OCCI\/1\.1/);
    assert.match(await r.text(), /^Category: disco; scheme="http:\/\/schemas\.cloudcomplab\.ch\/occi\/sm#"; class="kind"/m);
    assert.match(svc.url, /^http:\/\/127\.0\.0\.1:/, 'listens on loopback by default');
    assert.ok(readdirSync(SM_DATA_DIR!).includes('secret.key'), 'embedded mode made its own key');
  } finally {
    svc.kill('SIGTERM');
    await svc.exited;
    // npm may exit before the service's own last lines have come through the pipe
    const said = () => svc.lines.some((l) => l.includes('"msg":"stopping"'));
    for (let i = 0; i < 50 && !said(); i++) await sleep(100);
    assert.ok(said(), 'it stopped on SIGTERM');
  }
});
