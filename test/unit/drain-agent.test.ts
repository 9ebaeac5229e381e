// templates/node/drain.sh, the master's side of a scale-down, against stand-in hooks: which
// registered workers leave for a worker count, the hooks called until done, a drain past its
// timeout called off (every worker back in, the reason printed), and workers a drain took out
// not counted again unless a new server registered under the name.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const DRAIN = join(import.meta.dirname, '../../templates/node/drain.sh');

function cluster(workers: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'drain-agent-'));
  mkdirSync(join(dir, 'hosts.d'));
  for (const [name, ip] of Object.entries(workers)) writeFileSync(join(dir, 'hosts.d', name), `${ip} ${name}\n`);
  return dir;
}

/** Runs SCRIPT after drain.sh; hook_a records its calls (by address), hook_n (by name) is done on its Nth call. */
function run(dir: string, script: string, env: Record<string, string> = {}): { status: number | null; out: string; calls: string[] } {
  const hooks = `hook_a() { echo "a $*" >>"${dir}/calls"; [ ! -e "${dir}/a-stuck" ] || { echo "$* still copying"; return 1; }; }
    hook_n() { echo "n $*" >>"${dir}/calls"; local n; n=$(grep -c '^n' "${dir}/calls"); [ "$n" -ge "\${HOOK_N_DONE_AT:-1}" ] || { echo "$* busy"; return 1; }; }`;
  writeFileSync(join(dir, 'calls'), '');
  const r = spawnSync('bash', ['--noprofile', '--norc', '-c', `set -euo pipefail; . ${DRAIN}; ${hooks}; ${script}`], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', DISCO_HOSTS_D: join(dir, 'hosts.d'), DISCO_DRAIN_DIR: join(dir, 'state'),
      DISCO_DRAIN_HOOKS: 'hook_a:address hook_n:name', DISCO_DRAIN_POLL: '0', ...env },
  });
  return { status: r.status, out: r.stdout + r.stderr, calls: readFileSync(join(dir, 'calls'), 'utf8').trim().split('\n').filter(Boolean).map((x) => x.trimEnd()) };
}

const C = { 'c-worker-0': '10.0.0.10', 'c-worker-1': '10.0.0.11', 'c-worker-2': '10.0.0.12', 'c-worker-10': '10.0.0.20' };

test('the leaving workers: registered, of index >= the count, in index order; a count that is not one is refused', () => {
  const dir = cluster({ ...C, 'c-master': '10.0.0.5' });
  writeFileSync(join(dir, 'hosts.d', '.c-worker-3.tmp'), '10.0.0.13 c-worker-3\n');
  let r = run(dir, 'disco_drain_leaving 2');
  assert.deepEqual([r.status, r.out], [0, '10.0.0.12 c-worker-2\n10.0.0.20 c-worker-10\n']);
  r = run(dir, 'disco_drain_leaving 11');
  assert.deepEqual([r.status, r.out], [0, '']);
  r = run(dir, 'disco_drain_leaving "2; rm -rf /"');
  assert.equal(r.status, 2);
  assert.match(r.out, /not a count/);
});

test('a drain: each hook gets the leaving workers its way, again until all are done; then they are not counted again', () => {
  const dir = cluster(C);
  let r = run(dir, 'disco_drain_run 2', { HOOK_N_DONE_AT: '3' });
  assert.equal(r.status, 0, r.out);
  assert.equal(r.out, 'drained: c-worker-2 c-worker-10\n');
  assert.deepEqual(r.calls, ['a 10.0.0.12 10.0.0.20', 'n c-worker-2 c-worker-10', 'a 10.0.0.12 10.0.0.20', 'n c-worker-2 c-worker-10',
    'a 10.0.0.12 10.0.0.20', 'n c-worker-2 c-worker-10']);
  // deleted by Heat since, their registrations still there: a later scale to 1 drains c-worker-1 only
  r = run(dir, 'disco_drain_leaving 1');
  assert.equal(r.out, '10.0.0.11 c-worker-1\n');
  // a new server took the name c-worker-2 (it registered after the drain): it counts again
  const later = new Date(Date.now() + 5000);
  utimesSync(join(dir, 'hosts.d', 'c-worker-2'), later, later);
  r = run(dir, 'disco_drain_leaving 1');
  assert.equal(r.out, '10.0.0.11 c-worker-1\n10.0.0.12 c-worker-2\n');
});

test('nobody leaving (a scale-up, or a drain called off): every hook called with none, which puts every worker back in', () => {
  const dir = cluster(C);
  const r = run(dir, 'disco_drain_run 11');
  assert.equal(r.status, 0, r.out);
  assert.equal(r.out, 'drained: nobody leaving, every worker in service\n');
  assert.deepEqual(r.calls, ['a', 'n']);
});

test('a drain past its timeout: called off (the hooks with none), failed with the workers and what was still going', () => {
  const dir = cluster(C);
  writeFileSync(join(dir, 'a-stuck'), '');
  const r = run(dir, 'disco_drain_run 3', { DISCO_DRAIN_TIMEOUT: '0' });
  assert.equal(r.status, 1, r.out);
  assert.equal(r.out, 'the drain of c-worker-10 did not end within 0 s (SM_DRAIN_TIMEOUT_SECONDS), so no worker was removed and all are back in service; '
    + 'still going: hook_a: 10.0.0.20 still copying\n');
  assert.deepEqual(r.calls, ['a 10.0.0.20', 'n c-worker-10', 'a', 'n']);
  // not taken out: a later drain counts it
  assert.equal(run(dir, 'disco_drain_leaving 3').out, '10.0.0.20 c-worker-10\n');
});

test('the agent\'s hooks file: the hooks and node facts, no secret; in a bare environment it drains as the node script would', () => {
  const dir = cluster(C);
  const file = join(dir, 'hooks.sh');
  // as in the node script: drain.sh's own variables are shell variables, not in the environment
  const hooks = `hook_a() { echo "a $*" >>"${dir}/calls"; }; hook_n() { echo "n $*" >>"${dir}/calls"; }`;
  const r = spawnSync('bash', ['--noprofile', '--norc', '-c', `set -euo pipefail; DISCO_DRAIN_DIR=${join(dir, 'state')}; . ${DRAIN}; ${hooks}
    export DISCO_MASTER_IP=10.0.0.5 DISCO_BOOTSTRAP_POST_INIT='echo s3cret'; DISCO_SECRETS=c2VjcmV0; disco_drain_hooks_file ${file}`], {
    encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin', DISCO_HOSTS_D: join(dir, 'hosts.d'), DISCO_DRAIN_HOOKS: 'hook_a:address hook_n:name' } });
  assert.equal(r.status, 0, r.stderr);
  const text = readFileSync(file, 'utf8');
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.doesNotMatch(text, /s3cret|c2VjcmV0/);
  assert.match(text, /^declare -x DISCO_MASTER_IP="10\.0\.0\.5"$/m);
  // as the agent runs it: bash, that file, nothing else of the node script's environment
  const calls = join(dir, 'calls');
  writeFileSync(calls, '');
  const agent = spawnSync('bash', ['-c', '. "$1" && disco_drain_run "$2"', 'disco-drain', file, '3'], { encoding: 'utf8', env: { PATH: process.env.PATH } });
  assert.equal(agent.status, 0, agent.stdout + agent.stderr);
  assert.equal(agent.stdout, 'drained: c-worker-10\n');
  assert.deepEqual(readFileSync(calls, 'utf8').trim().split('\n'), ['a 10.0.0.20', 'n c-worker-10']);
});
