// The README's curl walk-throughs, run as written with bash from the repository's root: the
// one on node-sim (the demo project), then the one on real nodes (its own project).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { cloud, cloudEnv } from '../helpers/cloud.js';
import { waitForGone } from '../helpers/heat.js';
import { inTurn } from '../helpers/port-8888.js';
import { ROOT, testEnv } from '../helpers/service.js';

/** Stacks of clusters a walk-through made: if it was stopped half-way (its time limit), they
 * go here, so that the demo project's quota is free for the files that use it after. */
const made: { who: 'demo' | 'readme'; stack: string }[] = [];
const remember = (who: 'demo' | 'readme', out: string) => {
  for (const m of out.matchAll(/\/disco\/([0-9a-f-]{36})/g)) made.push({ who, stack: `disco-${m[1]}` });
};
after(async () => {
  for (const { who, stack } of made) {
    const heat = cloud(who).heat;
    const s = await heat.getStack(stack, { outputs: false }).catch(() => undefined);
    if (s) await heat.deleteStack(s).then(() => waitForGone(heat, stack, 300_000, { redelete: true })).catch(() => undefined);
  }
});

// the time limits are for a local cloud busy with the other lanes (a few minutes alone)
test('the README walk-through works as written', { timeout: 600_000 }, () => {
  const readme = readFileSync(`${ROOT}/README.md`, 'utf8');
  const m = /<!-- walkthrough:start -->\n```sh\n([\s\S]*?)```\n<!-- walkthrough:end -->/.exec(readme);
  assert.ok(m, 'the README has the walk-through block');
  // the only difference from a reader's shell: a fresh data directory instead of ./var/data
  const run = spawnSync(...inTurn('bash', ['-euo', 'pipefail', '-c', m[1]!]), {
    cwd: ROOT, encoding: 'utf8', timeout: 580_000,
    env: { ...process.env, SM_DATA_DIR: testEnv().SM_DATA_DIR! },
  });
  const out = `${run.stdout}\n${run.stderr}`;
  remember('demo', out);
  assert.equal(run.status, 0, out);
  assert.match(out, /created http:\/\/127\.0\.0\.1:8888\/disco\/[0-9a-f-]{36}\n/);
  assert.match(out, /X-OCCI-Attribute: icclab\.disco\.state="ready"/);
  assert.match(out, /X-OCCI-Attribute: external_ip="192\.0\.2\.\d+"/);
  assert.match(out, /"kind":"http:\/\/schemas\.cloudcomplab\.ch\/occi\/sm#disco"/);
  assert.match(out, /deleted: the stack and the cluster's application credential are gone/);
});

test('the real-node walk-through works as written: ssh to the master, the package, the gateway', { timeout: 900_000 }, () => {
  const readme = readFileSync(`${ROOT}/README.md`, 'utf8');
  const m = /<!-- walkthrough-real:start -->\n```sh\n([\s\S]*?)```\n<!-- walkthrough-real:end -->/.exec(readme);
  assert.ok(m, 'the README has the real-node walk-through block');
  // the readme lane's credentials in the env file's form: its servers are this test's only
  const e = cloudEnv();
  const envFile = join(mkdtempSync(join(tmpdir(), 'env-')), 'env');
  writeFileSync(envFile, [`OS_AUTH_URL=${e.OS_AUTH_URL}`, 'OS_USERNAME=readme', `OS_PASSWORD=${e.LANES_OS_PASSWORD}`, 'OS_PROJECT_NAME=readme',
    'OS_USER_DOMAIN_NAME=Default', 'OS_PROJECT_DOMAIN_NAME=Default', `OS_REGION_NAME=${e.OS_REGION_NAME}`, ''].join('\n'), { mode: 0o600 });
  const run = spawnSync(...inTurn('bash', ['-euo', 'pipefail', '-c', m[1]!]), {
    cwd: ROOT, encoding: 'utf8', timeout: 880_000,
    env: { ...process.env, SM_DATA_DIR: testEnv().SM_DATA_DIR!, LOCAL_CLOUD_ENV: envFile },
  });
  const out = `${run.stdout}\n${run.stderr}`;
  remember('readme', out);
  assert.equal(run.status, 0, out);
  assert.match(out, /X-OCCI-Attribute: icclab\.disco\.state="ready"/);
  assert.match(out, /\n[a-z0-9-]+-master\nHello, world!\n/, 'ssh as ssh_user with the key, and the package');
  assert.match(out, /<a href="[a-z0-9-]+-master\.txt">/, "the gateway's progress pages");
});
