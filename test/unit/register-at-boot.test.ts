// bootstrap's disco_register_at_boot: a worker writes a script and a systemd unit that register it
// with the master again at every later boot, so that a rebooted worker comes back into the
// master's memberships by itself. Run with stand-in systemctl, ip and ssh.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { sourceLibs } from '../helpers/framework-libs.js';

const dir = mkdtempSync(join(tmpdir(), 'register-at-boot-'));
const bin = join(dir, 'bin');
for (const d of [bin, join(dir, 'sbin'), join(dir, 'units')]) mkdirSync(d);
const stub = (name: string, body: string) => { writeFileSync(join(bin, name), `#!/bin/bash\n${body}\n`); chmodSync(join(bin, name), 0o755); };
stub('systemctl', `echo "systemctl $*" >>"${dir}/calls"`);
stub('ip', 'echo "10.0.0.5 dev eth0 src 10.0.0.7 uid 0"');
// the master: what it was asked to run, and the registration it received on stdin
stub('ssh', `printf '%s\\n' "$@" >"${dir}/ssh-args"; cat >"${dir}/ssh-stdin"`);
const env = { PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`, DISCO_SBIN: join(dir, 'sbin'), DISCO_UNIT_DIR: join(dir, 'units') };

test('a worker leaves a boot-time registration: enabled (not started now), and at boot it registers the same way as the node script', () => {
  writeFileSync(join(dir, 'calls'), '');
  const r = spawnSync('bash', ['-c', `set -euo pipefail; ${sourceLibs('bootstrap')}; disco_register_at_boot`], {
    encoding: 'utf8', env: { ...env, DISCO_NODE: 'c-worker-1', DISCO_MASTER_IP: '10.0.0.5' } });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(readFileSync(join(dir, 'calls'), 'utf8').trim().split('\n'), ['systemctl daemon-reload', 'systemctl enable disco-register.service']);
  const unit = readFileSync(join(dir, 'units/disco-register.service'), 'utf8');
  assert.match(unit, /^ExecStart=\/usr\/local\/sbin\/disco-register$/m);
  assert.match(unit, /^WantedBy=multi-user\.target$/m);
  assert.match(unit, /^After=network-online\.target/m);
  const script = join(dir, 'sbin/disco-register');
  assert.equal(statSync(script).mode & 0o777, 0o700, 'root only');

  // at boot, with nothing of the node script around: only what the script itself holds
  const boot = spawnSync(script, [], { encoding: 'utf8', env: { PATH: env.PATH } });
  assert.equal(boot.status, 0, boot.stderr);
  assert.equal(boot.stdout, 'registered c-worker-1 (10.0.0.7) with the master\n');
  assert.equal(readFileSync(join(dir, 'ssh-stdin'), 'utf8'), '10.0.0.7 c-worker-1\n');
  const args = readFileSync(join(dir, 'ssh-args'), 'utf8').trim().split('\n');
  assert.ok(args.includes('root@10.0.0.5'), args.join(' '));
  assert.equal(args.at(-1), 'install -d -m 0755 /etc/disco-cluster/hosts.d && cat > /etc/disco-cluster/hosts.d/.c-worker-1.tmp && '
    + 'mv -f /etc/disco-cluster/hosts.d/.c-worker-1.tmp /etc/disco-cluster/hosts.d/c-worker-1');
});
