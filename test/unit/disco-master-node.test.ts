// bootstrap.master_multiplier, honoured by Disco: above 0 the master is in Disco's node table
// with cores x multiplier slots, first, and DDFS keeps nothing on it (gc_blacklist, posted again
// by every membership run, never whitelisted by a drain called off); 0 (the default) keeps the
// table to the workers. Stand-in curl records the calls.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { sourceLibs } from '../helpers/framework-libs.js';

const dir = mkdtempSync(join(tmpdir(), 'disco-master-node-'));
const libs = `${sourceLibs('bootstrap')}; ${sourceLibs('disco')}`;
function sh(script: string, env: Record<string, string> = {}) {
  const r = spawnSync('bash', ['-c', `set -euo pipefail; ${libs}; ${script}`], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env } });
  return { status: r.status, out: r.stdout, err: r.stderr };
}
const TABLE = '[["c-worker-0","2"],["c-worker-1","2"]]';

test('the table with the master: its row first, cores x multiplier slots (at least 1); multiplier 0 leaves the workers\' table', () => {
  assert.deepEqual(sh(`discomr_with_master '${TABLE}' c-master 4 1.5`).out, `[["c-master","6"],["c-worker-0","2"],["c-worker-1","2"]]\n`);
  assert.deepEqual(sh(`discomr_with_master '${TABLE}' c-master 1 0.25`).out, `[["c-master","1"],["c-worker-0","2"],["c-worker-1","2"]]\n`);
  for (const m of ['0', '0.0']) assert.equal(sh(`discomr_with_master '${TABLE}' c-master 4 ${m}`).out, `${TABLE}\n`);
  for (const [name, m] of [['c-master', '-1'], ['c-master', '1; true'], ['"x"],["y', '1']]) {
    const r = sh(`discomr_with_master '${TABLE}' '${name}' 4 '${m}'`);
    assert.notEqual(r.status, 0, `${name} ${m}: ${r.out}`);
  }
});

test('a drain called off whitelists the blacklisted workers, never the master (it holds no DDFS data)', () => {
  writeFileSync(join(dir, 'calls'), '');
  const curl = `curl() { echo "curl $*" >>${dir}/calls; case "$*" in *get_gc_blacklist*) echo '["c-master","c-worker-2"]' ;; esac; }`;
  const r = sh(`${curl}; discomr_drain`, { DISCO_MASTER_NAME: 'c-master' });
  assert.equal(r.status, 0, r.err);
  const calls = readFileSync(join(dir, 'calls'), 'utf8').trim().split('\n');
  assert.deepEqual(calls.filter((c) => c.includes('whitelist')).map((c) => c.replace(/^.* --data-binary (\S+) .*\/ctrl\/(\w+)$/, '$2 $1')),
    ['whitelist "c-worker-2"', 'gc_whitelist "c-worker-2"']);
});

test('the membership environment carries the master\'s cores and multiplier, checked', () => {
  const env = { DISCO_CLUSTER: 'c', DISCO_MASTER_NAME: 'c-master', DISCO_MASTER_IP: '10.0.0.5', DISCO_WORKER_VCPUS: '2', DISCO_MASTER_VCPUS: '4', DISCO_BOOTSTRAP_MASTER_MULTIPLIER: '1' };
  const file = join(dir, 'membership.env');
  assert.equal(sh(`discomr_membership_env ${file}`, env).status, 0);
  assert.match(readFileSync(file, 'utf8'), /^DISCO_MASTER_VCPUS=4\nDISCO_BOOTSTRAP_MASTER_MULTIPLIER=1$/m);
  assert.notEqual(sh(`discomr_membership_env ${file}`, { ...env, DISCO_BOOTSTRAP_MASTER_MULTIPLIER: '1 x=y' }).status, 0);
});
