// bootstrap's gateway.sh: the gateway's nginx site, which nginx itself must accept whatever UIs
// the cluster has (nginx -t), and the map of registered workers its /node/<name>/ paths reach
// (Disco's results and DDFS blobs from outside), kept in step with the registrations by a
// systemd path unit; nginx reloaded only when the map changed. Stand-in systemctl.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { sourceLibs } from '../helpers/framework-libs.js';

const dir = mkdtempSync(join(tmpdir(), 'gateway-nodes-'));
const hosts = join(dir, 'hosts.d');
for (const d of ['bin', 'sbin', 'units', 'gw', 'hosts.d']) mkdirSync(join(dir, d));
writeFileSync(join(dir, 'bin/systemctl'), `#!/bin/bash\necho "systemctl $*" >>"${dir}/calls"\n`);
chmodSync(join(dir, 'bin/systemctl'), 0o755);
const env = { PATH: `${join(dir, 'bin')}:${process.env.PATH ?? '/usr/bin:/bin'}`, DISCO_SBIN: join(dir, 'sbin'), DISCO_UNIT_DIR: join(dir, 'units'),
  DISCO_GATEWAY_DIR: join(dir, 'gw'), DISCO_HOSTS_D: hosts };
const bash = (script: string) => spawnSync('bash', ['-c', `set -euo pipefail; ${sourceLibs('bootstrap')}; ${script}`], { encoding: 'utf8', env });
const calls = () => readFileSync(join(dir, 'calls'), 'utf8').trim().split('\n').filter(Boolean);
const map = () => readFileSync(join(dir, 'gw/nodes.map'), 'utf8');

test('the map: registered workers only, in name order; anything that could change nginx\'s configuration is left out', () => {
  writeFileSync(join(hosts, 'c-worker-10'), '10.0.0.20 c-worker-10\n');
  writeFileSync(join(hosts, 'c-worker-2'), '10.0.0.12 c-worker-2\n');
  writeFileSync(join(hosts, '.c-worker-3.tmp'), '10.0.0.13 c-worker-3\n');
  writeFileSync(join(hosts, 'evil'), '10.0.0.14 evil;} server{\n');
  writeFileSync(join(hosts, 'other'), '10.0.0.15 not-its-file-name\n');
  writeFileSync(join(hosts, 'host'), 'example.org host\n');
  const r = bash(`disco_gateway_nodes_map ${hosts}`);
  assert.deepEqual([r.status, r.stdout], [0, 'c-worker-2 10.0.0.12;\nc-worker-10 10.0.0.20;\n'], r.stderr);
  for (const f of ['.c-worker-3.tmp', 'evil', 'other', 'host']) rmSync(join(hosts, f));
});

test('installed before any worker registered: an empty map, which nginx can read', () => {
  const empty = mkdtempSync(join(tmpdir(), 'gateway-nodes-empty-'));
  const r = spawnSync('bash', ['-c', `set -euo pipefail; ${sourceLibs('bootstrap')}; disco_gateway_nodes_install`], { encoding: 'utf8',
    env: { ...env, DISCO_GATEWAY_DIR: empty, DISCO_HOSTS_D: join(empty, 'hosts.d') } });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(readFileSync(join(empty, 'nodes.map'), 'utf8'), '\n');
});

test('installed: the map written at once, a path unit on the registrations; the refresher reloads nginx only when the map changed', () => {
  writeFileSync(join(dir, 'calls'), '');
  const r = bash('disco_gateway_nodes_install');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(map(), 'c-worker-2 10.0.0.12;\nc-worker-10 10.0.0.20;\n');
  assert.match(readFileSync(join(dir, 'units/disco-gateway-nodes.path'), 'utf8'), new RegExp(`^PathChanged=${hosts}$`, 'm'));
  assert.deepEqual(calls(), ['systemctl is-active --quiet nginx', 'systemctl reload nginx', 'systemctl daemon-reload', 'systemctl enable --now disco-gateway-nodes.path']);
  const refresh = () => spawnSync(join(dir, 'sbin/disco-gateway-nodes'), [], { encoding: 'utf8', env: { PATH: env.PATH } });
  writeFileSync(join(dir, 'calls'), '');
  assert.equal(refresh().status, 0);
  assert.deepEqual(calls(), [], 'nothing changed: no reload');
  writeFileSync(join(hosts, 'c-worker-3'), '10.0.0.13 c-worker-3\n');
  rmSync(join(hosts, 'c-worker-10'));
  assert.equal(refresh().status, 0);
  assert.equal(map(), 'c-worker-2 10.0.0.12;\nc-worker-3 10.0.0.13;\n');
  assert.deepEqual(calls(), ['systemctl is-active --quiet nginx', 'systemctl reload nginx']);
});

test('the site nginx accepts: no UI, plain UIs, and a UI with the workers\' paths (whose variable exists only then)', () => {
  const gw = mkdtempSync(join(tmpdir(), 'gateway-conf-'));
  const ok = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=t',
    '-keyout', join(gw, 'key.pem'), '-out', join(gw, 'cert.pem')], { encoding: 'utf8' });
  assert.equal(ok.status, 0, ok.stderr);
  writeFileSync(join(gw, 'htpasswd'), 'disco:x\n');
  writeFileSync(join(gw, 'nodes.map'), 'c-worker-0 10.0.0.10;\n');
  for (const uis of ['', 'standin:8099:18099', 'disco:8989:18989:nodes jupyter:8888:18888']) {
    const site = spawnSync('bash', ['-c', `set -euo pipefail; ${sourceLibs('bootstrap')}; disco_gateway_conf`], { encoding: 'utf8',
      env: { ...env, DISCO_GATEWAY_DIR: gw, DISCO_GATEWAY_STATUS: gw, DISCO_GATEWAY_UIS: uis, DISCO_MASTER_IP: '127.0.0.1', DISCO_ARTIFACT_PORT: '8097', DISCO_ARTIFACT_DIR: gw } });
    assert.equal(site.status, 0, site.stderr);
    assert.equal(site.stdout.includes('/node/'), uis.includes(':nodes'), uis);
    writeFileSync(join(gw, 'site.conf'), site.stdout);
    writeFileSync(join(gw, 'nginx.conf'), `pid ${gw}/nginx.pid;\nerror_log stderr;\nevents {}\nhttp {\n  access_log off;\n  include ${gw}/site.conf;\n}\n`);
    const t = spawnSync('nginx', ['-t', '-q', '-p', gw, '-c', join(gw, 'nginx.conf')], { encoding: 'utf8', env: { PATH: `/usr/sbin:${process.env.PATH}` } });
    assert.equal(t.status, 0, `nginx refused the site for DISCO_GATEWAY_UIS='${uis}': ${t.stderr}\n${site.stdout}`);
  }
});
