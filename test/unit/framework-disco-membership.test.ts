// The Disco master's membership refresher (frameworks/disco/membership.sh and the
// discomr_membership_* functions), run for real with bash: the node table it writes, the
// sweep that drops a worker after 3 failed probes, the script and its systemd units.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { bashRunner } from '../helpers/bash-run.js';
import { sourceLibs } from '../helpers/framework-libs.js';
import { ROOT } from '../helpers/service.js';

const tmp = mkdtempSync(join(tmpdir(), 'fw-membership-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const { sh, ok } = bashRunner(tmp);
const lib = (fw: string) => sourceLibs(fw);

const libs = `${lib('bootstrap')}; ${lib('disco')}`;
/** A registration as disco_register_node writes it: a dot-file, then renamed (a new inode). */
function register(dir: string, name: string, ip: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `.${name}.tmp`), `${ip} ${name}\n`);
  renameSync(join(dir, `.${name}.tmp`), join(dir, name));
}
/** A probe that fails for the addresses listed in DEAD, one a line. */
function fakeProbe(dir: string): string {
  const p = join(dir, 'probe');
  writeFileSync(p, '#!/bin/bash\n! grep -qxF -- "$1" "$DEAD"\n');
  chmodSync(p, 0o755);
  return p;
}

test('discomr_membership_table: the registered workers sorted by name, discomr_slots(vcpus x multiplier) each, as strings', () => {
  const d = mkdtempSync(join(tmp, 'table-'));
  const hostsD = join(d, 'hosts.d');
  register(hostsD, 'c-worker-10', '10.0.0.12');
  register(hostsD, 'c-worker-2', '10.0.0.7');
  register(hostsD, 'c-worker-0', '10.0.0.5');
  writeFileSync(join(hostsD, '.c-worker-3.tmp'), '10.0.0.9 c-worker-3\n'); // a registration in flight
  writeFileSync(join(hostsD, 'junk'), 'not-an-address junk\n');
  writeFileSync(join(hostsD, 'c-worker-4'), '10.0.0.8 c-worker-5\n'); // the file's name is not the node's
  assert.equal(ok(`${libs}; discomr_membership_hosts ${hostsD}`), '10.0.0.5 c-worker-0\n10.0.0.7 c-worker-2\n10.0.0.12 c-worker-10\n');
  // 4 vcpus x 1.5 = 6 slots each; numeric name order: worker-2 before worker-10
  const t = ok(`${libs}; discomr_membership_table ${hostsD} 4 1.5`).trim();
  assert.equal(t, '[["c-worker-0","6"],["c-worker-2","6"],["c-worker-10","6"]]');
  assert.deepEqual(JSON.parse(t), [['c-worker-0', '6'], ['c-worker-2', '6'], ['c-worker-10', '6']]);
  // 3 x 0.5 = 1.5, floor 1; 8 x 2 = 16
  assert.equal(ok(`${libs}; discomr_membership_table ${hostsD} 3 0.5`).trim(), '[["c-worker-0","1"],["c-worker-2","1"],["c-worker-10","1"]]');
  assert.equal(ok(`${libs}; discomr_membership_table ${hostsD} 8 2`).trim(), '[["c-worker-0","16"],["c-worker-2","16"],["c-worker-10","16"]]');
  const empty = join(d, 'empty');
  mkdirSync(empty);
  const r = sh(`${libs}; discomr_membership_table ${empty} 4 1`);
  assert.notEqual(r.status, 0, 'no worker, no table');
  assert.match(r.stderr, /no registered worker/);
  assert.notEqual(sh(`${libs}; discomr_membership_table ${hostsD} four 1`).status, 0);
});

/** Workers c-worker-<i> registered at the given addresses, and a sweep whose probe fails for the addresses it is given. */
function sweepFixture(ips: string[]) {
  const d = mkdtempSync(join(tmp, 'sweep-'));
  const hostsD = join(d, 'hosts.d');
  const state = join(d, 'state');
  const dead = join(d, 'dead');
  const forgot = join(d, 'forgot');
  const probe = fakeProbe(d);
  ips.forEach((ip, i) => register(hostsD, `c-worker-${i}`, ip));
  const sweep = (down: string[]) => {
    writeFileSync(dead, down.map((ip) => `${ip}\n`).join(''));
    return ok(`${libs}; forget() { echo "$*" >>${forgot}; }; discomr_membership_sweep ${hostsD} ${state} ${probe} forget`, { DEAD: dead });
  };
  return { hostsD, state, forgot, sweep };
}

test('discomr_membership_sweep: dropped after 3 consecutive failed probes, the count reset when the worker answers', () => {
  const { hostsD, state, forgot, sweep } = sweepFixture(['10.0.0.5', '10.0.0.6', '10.0.0.7']);
  const table = () => ok(`${libs}; discomr_membership_table ${hostsD} 2 1`).trim();
  const fails = (name: string) => { try { return readFileSync(join(state, `${name}.fails`), 'utf8').trim(); } catch { return null; } };

  // worker-1 fails twice, then answers: still a member, its count gone
  assert.equal(sweep(['10.0.0.6']),
    'joined c-worker-0 10.0.0.5\njoined c-worker-1 10.0.0.6\njoined c-worker-2 10.0.0.7\nunreachable c-worker-1 10.0.0.6 1\n');
  assert.equal(fails('c-worker-1'), '1');
  assert.equal(sweep(['10.0.0.6']), 'unreachable c-worker-1 10.0.0.6 2\n');
  assert.equal(fails('c-worker-1'), '2');
  assert.equal(sweep([]), 'recovered c-worker-1 10.0.0.6\n');
  assert.equal(fails('c-worker-1'), null);
  assert.equal(sweep([]), '', 'nothing changed');
  assert.ok(statSync(join(hostsD, 'c-worker-1')).isFile());
  assert.equal(table(), '[["c-worker-0","2"],["c-worker-1","2"],["c-worker-2","2"]]');

  // worker-2 fails 3 times in a row: dropped, and out of the table; worker-1 fails twice more
  // (4 failures in all, never 3 in a row): stays
  assert.equal(sweep(['10.0.0.6', '10.0.0.7']), 'unreachable c-worker-1 10.0.0.6 1\nunreachable c-worker-2 10.0.0.7 1\n');
  assert.equal(sweep(['10.0.0.6', '10.0.0.7']), 'unreachable c-worker-1 10.0.0.6 2\nunreachable c-worker-2 10.0.0.7 2\n');
  assert.ok(statSync(join(hostsD, 'c-worker-2')).isFile(), 'two failures: still registered');
  assert.equal(sweep(['10.0.0.7']), 'recovered c-worker-1 10.0.0.6\ndropped c-worker-2 10.0.0.7\n');
  assert.deepEqual(readdirSync(hostsD).sort(), ['c-worker-0', 'c-worker-1']);
  assert.deepEqual(readdirSync(state).filter((f) => f.startsWith('c-worker-2')), [], 'its state is gone');
  assert.equal(table(), '[["c-worker-0","2"],["c-worker-1","2"]]');
  assert.equal(readFileSync(forgot, 'utf8'), 'c-worker-2 10.0.0.7\n', 'its host keys are forgotten');
  assert.equal(sweep(['10.0.0.7']), '', 'a dropped worker is not probed again');
});

test('discomr_membership_sweep: a round where no worker answers counts for nobody; replaced, duplicate and removed registrations', () => {
  const { hostsD, state, forgot, sweep } = sweepFixture(['10.0.0.5', '10.0.0.6']);
  const all = ['10.0.0.5', '10.0.0.6'];
  assert.equal(sweep(all), 'joined c-worker-0 10.0.0.5\njoined c-worker-1 10.0.0.6\nsilent - - 2\n');
  assert.equal(sweep(all), '', 'said once');
  assert.equal(sweep(all), '');
  assert.deepEqual(readdirSync(hostsD).sort(), ['c-worker-0', 'c-worker-1'], 'nobody dropped after 3 silent rounds');
  assert.deepEqual(readdirSync(state).filter((f) => f.endsWith('.fails')), []);
  assert.equal(sweep(['10.0.0.6']), 'unreachable c-worker-1 10.0.0.6 1\n');

  // a new server under a reused name (scaled down then up): starts afresh, old keys forgotten
  register(hostsD, 'c-worker-1', '10.0.0.9');
  assert.equal(sweep([]), 'replaced c-worker-1 10.0.0.9 10.0.0.6\n');
  assert.equal(readFileSync(forgot, 'utf8'), 'c-worker-1 10.0.0.9 10.0.0.6\n');
  // the same name and address again (a new server can get its predecessor's address)
  register(hostsD, 'c-worker-1', '10.0.0.9');
  assert.equal(sweep([]), 'replaced c-worker-1 10.0.0.9 10.0.0.9\n');

  // worker-0's address given to a new worker-2: worker-0's registration is stale
  register(hostsD, 'c-worker-2', '10.0.0.5');
  const old = new Date(Date.now() - 60_000);
  utimesSync(join(hostsD, 'c-worker-0'), old, old);
  assert.equal(sweep([]), 'duplicate c-worker-0 10.0.0.5 c-worker-2\njoined c-worker-2 10.0.0.5\n');
  assert.deepEqual(readdirSync(hostsD).sort(), ['c-worker-1', 'c-worker-2']);

  // a registration deleted by hand
  rmSync(join(hostsD, 'c-worker-1'));
  assert.equal(sweep([]), 'removed c-worker-1 10.0.0.9\n');
  assert.deepEqual(readdirSync(state).filter((f) => f.startsWith('c-worker-1')), []);
  assert.equal(readFileSync(forgot, 'utf8').split('\n').slice(-3).join('|'), 'c-worker-0 10.0.0.5|c-worker-1 10.0.0.9|');
});

test('the refresher script: written from the node script\'s functions, parses, and follows a scale-up and a scale-down', () => {
  const d = mkdtempSync(join(tmp, 'refresher-'));
  const script = join(d, 'discomr-membership');
  writeFileSync(script, ok(`${libs}; discomr_membership_script`));
  chmodSync(script, 0o755);
  const text = readFileSync(script, 'utf8');
  assert.match(text, /^#!\/bin\/bash\nset -euo pipefail|^#!\/bin\/bash\n(#.*\n)+set -euo pipefail\n/);
  assert.ok(text.endsWith('\ndiscomr_membership_run "$@"\n'), text.slice(-80));
  ok(`bash -n ${script}`);
  for (const f of ['disco_ssh', 'disco_hosts_write', 'disco_hosts_push', 'discomr_config_table', 'discomr_membership_sweep']) {
    assert.match(text, new RegExp(`^${f} \\(\\)`, 'm'), f);
  }
  assert.ok(!/curl[^\n]*(mirror|https:)|disco_fetch|disco_secret/.test(text), 'downloads nothing, holds no secret');
  const noBootstrap = sh(`${lib('disco')}; discomr_membership_script`);
  assert.notEqual(noBootstrap.status, 0, "bootstrap's functions are needed");

  // stand-ins for ssh, ssh-keygen, runuser and Disco's API (curl); the script runs for real
  const fake = join(d, 'fake');
  const bin = join(d, 'bin');
  mkdirSync(fake);
  mkdirSync(bin);
  const stub = (name: string, body: string) => { writeFileSync(join(bin, name), `#!/bin/bash\n${body}\n`); chmodSync(join(bin, name), 0o755); };
  stub('ssh', `host=''; for a in "$@"; do case $a in root@*) host=\${a#root@} ;; esac; done
printf '%s\\n' "$*" >>"$FAKE/ssh.log"
if grep -qxF -- "$host" "$FAKE/dead" 2>/dev/null; then exit 255; fi
if [ "\${*: -2}" = "bash -s" ]; then cat >"$FAKE/pushed-$host"; fi
exit 0`);
  stub('ssh-keygen', 'echo "ssh-keygen $*" >>"$FAKE/keys.log"');
  stub('runuser', 'echo "runuser $*" >>"$FAKE/keys.log"');
  stub('curl', `body=''; while [ $# -gt 0 ]; do if [ "$1" = --data-binary ]; then body=$2; shift; fi; shift; done
printf '%s\\n' "$body" >>"$FAKE/posted"
if [ -e "$FAKE/refuse" ]; then cat "$FAKE/refuse"; else printf '"table saved!"\\n200'; fi`);
  const hostsD = join(d, 'hosts.d');
  const state = join(d, 'state');
  const etcHosts = join(d, 'hosts');
  writeFileSync(etcHosts, '127.0.0.1 localhost\n');
  register(hostsD, 'c-worker-0', '10.0.0.5');
  register(hostsD, 'c-worker-1', '10.0.0.6');
  // as master.sh leaves it at create: the table Disco took
  mkdirSync(state);
  writeFileSync(join(state, 'table.json'), '[["c-worker-0","4"],["c-worker-1","4"]]\n');
  const env = {
    PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`, FAKE: fake, DISCOMR_HOSTS_D: hostsD, DISCOMR_STATE_DIR: state,
    DISCOMR_ETC_HOSTS: etcHosts, DISCO_CLUSTER: 'c', DISCO_MASTER_IP: '10.0.0.4', DISCO_MASTER_NAME: 'c-master',
    DISCO_WORKER_VCPUS: '2', DISCO_BOOTSTRAP_WORKER_MULTIPLIER: '2',
  };
  const read = (f: string) => { try { return readFileSync(join(fake, f), 'utf8'); } catch { return ''; } };
  const run = (down: string[] = []) => {
    writeFileSync(join(fake, 'dead'), down.map((ip) => `${ip}\n`).join(''));
    for (const f of readdirSync(fake).filter((x) => /^(pushed-|posted|ssh\.log|keys\.log)/.test(x))) rmSync(join(fake, f));
    return ok(script, env);
  };
  const pushed = () => readdirSync(fake).filter((f) => f.startsWith('pushed-')).map((f) => f.slice(7)).sort();
  const block = (...lines: string[]) => `# BEGIN disco-cluster (managed, rewritten by the cluster bootstrap)\n${lines.join('\n')}\n# END disco-cluster\n`;

  // first run after create: the same table (2 vcpus x 2 = 4 slots), no POST; the block everywhere once
  let out = run();
  assert.match(out, /c-worker-0 \(10\.0\.0\.5\) registered/);
  assert.equal(read('posted'), '', 'the table Disco has is not posted again');
  assert.equal(readFileSync(etcHosts, 'utf8'), `127.0.0.1 localhost\n${block('10.0.0.4 c-master', '10.0.0.5 c-worker-0', '10.0.0.6 c-worker-1')}`);
  assert.deepEqual(pushed(), ['10.0.0.5', '10.0.0.6']);
  assert.match(read('pushed-10.0.0.5'), /^disco_hosts_write \/etc\/hosts <<'DISCO_HOSTS_EOF'\n10\.0\.0\.4 c-master\n10\.0\.0\.5 c-worker-0\n10\.0\.0\.6 c-worker-1\nDISCO_HOSTS_EOF$/m);
  const probes = read('ssh.log').split('\n').filter((l) => / true$/.test(l));
  assert.equal(probes.length, 2);
  for (const o of ['BatchMode=yes', 'ConnectTimeout=5', '-i /root/.ssh/disco_cluster']) assert.ok(probes.every((p) => p.includes(o)), `${o}: ${probes[0]}`);
  assert.equal(run(), '', 'nothing changed: nothing logged, posted or pushed');
  assert.deepEqual(pushed(), []);

  // scale-up: c-worker-2 boots and registers; Disco refuses the table once, then takes it
  register(hostsD, 'c-worker-2', '10.0.0.7');
  writeFileSync(join(fake, 'refuse'), 'bad table\n400');
  out = run();
  assert.match(out, /save_config_table did not take .*bad table 400/);
  assert.equal(readFileSync(join(state, 'table.json'), 'utf8'), '[["c-worker-0","4"],["c-worker-1","4"]]\n', 'kept only when Disco took it');
  assert.deepEqual(pushed(), ['10.0.0.5', '10.0.0.6', '10.0.0.7'], 'the new block on every worker');
  assert.doesNotMatch(run(), /save_config_table/, 'the same failure is logged once');
  assert.equal(read('posted'), `[["c-worker-0","4"],["c-worker-1","4"],["c-worker-2","4"]]\n`, 'and tried again');
  // both a 200 and "table saved" are needed
  for (const answer of ['"table saved!"\n503', 'ok\n200']) {
    writeFileSync(join(fake, 'refuse'), answer);
    assert.match(run(), /save_config_table did not take/, answer);
    assert.equal(readFileSync(join(state, 'table.json'), 'utf8'), '[["c-worker-0","4"],["c-worker-1","4"]]\n', answer);
  }
  rmSync(join(fake, 'refuse'));
  out = run();
  const three = '[["c-worker-0","4"],["c-worker-1","4"],["c-worker-2","4"]]';
  assert.equal(read('posted'), `${three}\n`);
  assert.match(out, /Disco node table saved: .*c-worker-2/);
  assert.equal(readFileSync(join(state, 'table.json'), 'utf8'), `${three}\n`);
  assert.ok(readFileSync(etcHosts, 'utf8').includes('10.0.0.7 c-worker-2\n# END disco-cluster\n'));
  assert.equal(run(), '');

  // scale-down: Heat deletes c-worker-2; two runs count, the third drops it
  for (const n of [1, 2]) {
    assert.match(run(['10.0.0.7']), new RegExp(`c-worker-2 \\(10\\.0\\.0\\.7\\) does not answer over SSH \\(${n} of 3\\)`));
    assert.equal(read('posted'), '');
  }
  out = run(['10.0.0.7']);
  assert.match(out, /c-worker-2 \(10\.0\.0\.7\) dropped/);
  assert.equal(read('posted'), '[["c-worker-0","4"],["c-worker-1","4"]]\n');
  assert.equal(readFileSync(etcHosts, 'utf8'), `127.0.0.1 localhost\n${block('10.0.0.4 c-master', '10.0.0.5 c-worker-0', '10.0.0.6 c-worker-1')}`);
  assert.deepEqual(pushed(), ['10.0.0.5', '10.0.0.6'], 'the block on the workers left, not on the gone one');
  const keys = read('keys.log');
  for (const h of ['c-worker-2', '10.0.0.7']) {
    assert.ok(keys.includes(`ssh-keygen -R ${h}\n`), `root forgets ${h}: ${keys}`);
    assert.match(keys, new RegExp(`runuser -u disco -- .*ssh-keygen -R .* ${h.replace(/\./g, '\\.')}\n`), `disco forgets ${h}`);
  }
  assert.deepEqual(readdirSync(hostsD).sort(), ['c-worker-0', 'c-worker-1']);

  // a new block while a worker does not answer: not tried on it, written when it answers again
  assert.match(run(['10.0.0.6']), /c-worker-1 \(10\.0\.0\.6\) does not answer over SSH \(1 of 3\)/);
  register(hostsD, 'c-worker-2', '10.0.0.8');
  out = run(['10.0.0.6']);
  assert.match(out, /c-worker-2 \(10\.0\.0\.8\) registered/);
  assert.match(out, /c-worker-1 \(10\.0\.0\.6\) does not answer over SSH \(2 of 3\)/);
  assert.deepEqual(pushed(), ['10.0.0.5', '10.0.0.8']);
  assert.doesNotMatch(read('ssh.log'), /root@10\.0\.0\.6 bash -s/, 'no push to a worker that did not answer');
  assert.equal(read('posted'), `${three}\n`, 'the reused name in the table again');
  out = run();
  assert.match(out, /c-worker-1 \(10\.0\.0\.6\) answers again/);
  assert.deepEqual(pushed(), ['10.0.0.6']);
  assert.match(read('pushed-10.0.0.6'), /\n10\.0\.0\.8 c-worker-2\nDISCO_HOSTS_EOF/);

  // no environment (membership.env missing): refuses to run
  const bare = sh(script, { PATH: env.PATH, FAKE: fake, DISCOMR_HOSTS_D: hostsD, DISCOMR_STATE_DIR: state, DISCOMR_ETC_HOSTS: etcHosts });
  assert.notEqual(bare.status, 0);
  assert.match(bare.stderr, /membership\.env/);
});

test('the refresher\'s environment file (root-only, values checked) and its systemd units (oneshot, every 30 s)', () => {
  const d = mkdtempSync(join(tmp, 'units-'));
  const envFile = join(d, 'membership.env');
  const good = { DISCO_CLUSTER: 'c', DISCO_MASTER_NAME: 'c-master', DISCO_MASTER_IP: '10.0.0.4', DISCO_WORKER_VCPUS: '4', DISCO_BOOTSTRAP_WORKER_MULTIPLIER: '1.5' };
  ok(`${libs}; discomr_membership_env ${envFile}`, good);
  assert.equal(statSync(envFile).mode & 0o777, 0o600);
  assert.deepEqual(readFileSync(envFile, 'utf8').split('\n').filter((l) => l && !l.startsWith('#')),
    ['DISCO_CLUSTER=c', 'DISCO_MASTER_NAME=c-master', 'DISCO_MASTER_IP=10.0.0.4', 'DISCO_WORKER_VCPUS=4', 'DISCO_BOOTSTRAP_WORKER_MULTIPLIER=1.5',
      'DISCO_MASTER_VCPUS=1', 'DISCO_BOOTSTRAP_MASTER_MULTIPLIER=0']);
  for (const bad of [{ DISCO_CLUSTER: 'c x' }, { DISCO_WORKER_VCPUS: '' }, { DISCO_MASTER_IP: 'c-master' }, { DISCO_BOOTSTRAP_WORKER_MULTIPLIER: '1;x' }]) {
    assert.notEqual(sh(`${libs}; discomr_membership_env ${join(d, 'bad.env')}`, { ...good, ...bad }).status, 0, JSON.stringify(bad));
  }
  ok(`${libs}; discomr_membership_units ${d}`);
  const service = readFileSync(join(d, 'discomr-membership.service'), 'utf8');
  const timer = readFileSync(join(d, 'discomr-membership.timer'), 'utf8');
  for (const l of ['Type=oneshot', 'EnvironmentFile=/etc/disco-cluster/membership.env', 'ExecStart=/usr/local/sbin/discomr-membership']) assert.ok(service.includes(`\n${l}\n`), l);
  for (const l of ['OnCalendar=*:*:00/30', 'AccuracySec=1s', 'WantedBy=timers.target']) assert.ok(timer.includes(`\n${l}\n`), l);
  const master = readFileSync(join(ROOT, 'frameworks/disco/master.sh'), 'utf8');
  assert.match(master, /discomr_membership_script >\/usr\/local\/sbin\/\.discomr-membership\.tmp/);
  assert.match(master, /systemctl enable --now discomr-membership\.timer/);
});
