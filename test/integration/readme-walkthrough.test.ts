// The README's curl walk-through, run as written with bash from the repository's root.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ROOT, testEnv } from '../helpers/service.js';

test('the README walk-through works as written', { timeout: 240_000 }, () => {
  const readme = readFileSync(`${ROOT}/README.md`, 'utf8');
  const m = /<!-- walkthrough:start -->\n```sh\n([\s\S]*?)```\n<!-- walkthrough:end -->/.exec(readme);
  assert.ok(m, 'the README has the walk-through block');
  // the only difference from a reader's shell: a fresh data directory instead of ./var/data
  const run = spawnSync('bash', ['-euo', 'pipefail', '-c', m[1]!], {
    cwd: ROOT, encoding: 'utf8', timeout: 220_000,
    env: { ...process.env, SM_DATA_DIR: testEnv().SM_DATA_DIR! },
  });
  const out = `${run.stdout}\n${run.stderr}`;
  assert.equal(run.status, 0, out);
  assert.match(out, /created http:\/\/127\.0\.0\.1:8888\/disco\/[0-9a-f-]{36}\n/);
  assert.match(out, /X-OCCI-Attribute: icclab\.disco\.state="ready"/);
  assert.match(out, /X-OCCI-Attribute: external_ip="192\.0\.2\.\d+"/);
  assert.match(out, /"kind":"http:\/\/schemas\.cloudcomplab\.ch\/occi\/sm#disco"/);
  assert.match(out, /deleted: the stack and the cluster's application credential are gone/);
});
