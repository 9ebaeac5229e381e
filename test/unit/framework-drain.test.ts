// frameworks/hadoop/drain.sh and Disco's discomr_drain against stand-in commands: the hdfs and yarn admin commands
// record their calls, curl serves the NameNode's and the ResourceManager's reports as Hadoop
// 3.3 shapes them. A drain writes the exclude files and refreshes each once, reports what is
// still going until the master says both are done, retries a refresh that failed, and a drain
// called off puts every worker back in service.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { sourceLibs } from '../helpers/framework-libs.js';

const dir = mkdtempSync(join(tmpdir(), 'drain-'));
for (const cmd of ['hdfs', 'yarn']) {
  writeFileSync(join(dir, cmd), `#!/bin/bash\necho "${cmd} $*" >>"${dir}/calls"\n[ ! -e "${dir}/fail-${cmd}" ]\n`);
  chmodSync(join(dir, cmd), 0o755);
}
const W1 = '192.168.19.12';
const W0 = '192.168.19.11';
const nn = (nodes: Record<string, string>, dead: Record<string, boolean> = {}) => JSON.stringify({ beans: [{
  LiveNodes: JSON.stringify(Object.fromEntries(Object.entries(nodes).map(([ip, adminState]) => [`${ip}:9866`, { xferaddr: `${ip}:9866`, adminState }]))),
  DeadNodes: JSON.stringify(Object.fromEntries(Object.entries(dead).map(([ip, decommissioned]) => [`${ip}:9866`, { xferaddr: `${ip}:9866`, decommissioned }]))),
}] });
const rm = (nodes: Record<string, string>) => JSON.stringify({ nodes: { node: Object.entries(nodes).map(([ip, state]) => ({ nodeHostName: ip, state })) } });

function drain(ips: string[], report: { nn: string; rm: string }): { status: number | null; out: string; calls: string[] } {
  writeFileSync(join(dir, 'nn.json'), report.nn);
  writeFileSync(join(dir, 'rm.json'), report.rm);
  writeFileSync(join(dir, 'calls'), '');
  const script = `${sourceLibs('hadoop')}; hadoop_as_hadoop() { "$@"; }
    curl() { case "$*" in *:9870/jmx*) cat ${dir}/nn.json ;; *:8088/ws/v1/cluster/nodes*) cat ${dir}/rm.json ;; *) return 7 ;; esac; }
    hadoop_drain "$@"`;
  const r = spawnSync('bash', ['--noprofile', '--norc', '-c', script, 'drain', ...ips], { encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HADOOP_CONF_DIR: dir, HADOOP_BIN: dir, DISCO_MASTER_IP: '192.168.19.10' } });
  return { status: r.status, out: r.stdout + r.stderr, calls: readFileSync(join(dir, 'calls'), 'utf8').trim().split('\n').filter(Boolean) };
}
const excluded = (f: string) => readFileSync(join(dir, f), 'utf8');

test('a drain: exclude files written and refreshed once, in progress until HDFS says Decommissioned and YARN DECOMMISSIONED', () => {
  let r = drain([W1], { nn: nn({ [W0]: 'In Service', [W1]: 'Decommission In Progress' }), rm: rm({ [W0]: 'RUNNING', [W1]: 'DECOMMISSIONING' }) });
  assert.equal(r.status, 1, r.out);
  assert.equal(r.out, `hdfs: ${W1}\n`);
  assert.deepEqual(r.calls, ['hdfs dfsadmin -refreshNodes', 'yarn rmadmin -refreshNodes -g 3600 -server']);
  assert.equal(excluded('dfs.exclude'), `${W1}\n`);
  assert.equal(excluded('yarn.exclude'), `${W1}\n`);
  // called again: nothing refreshed twice; HDFS done, YARN still letting containers finish
  r = drain([W1], { nn: nn({ [W0]: 'In Service', [W1]: 'Decommissioned' }), rm: rm({ [W0]: 'RUNNING', [W1]: 'DECOMMISSIONING' }) });
  assert.deepEqual([r.status, r.out, r.calls], [1, `yarn: ${W1}\n`, []]);
  r = drain([W1], { nn: nn({ [W0]: 'In Service', [W1]: 'Decommissioned' }), rm: rm({ [W0]: 'RUNNING', [W1]: 'DECOMMISSIONED' }) });
  assert.deepEqual([r.status, r.out, r.calls], [0, '', []]);
  // called off: everyone back in service
  r = drain([], { nn: nn({ [W0]: 'In Service', [W1]: 'Decommissioned' }), rm: rm({ [W0]: 'RUNNING', [W1]: 'DECOMMISSIONED' }) });
  assert.equal(r.status, 0, r.out);
  assert.deepEqual(r.calls, ['hdfs dfsadmin -refreshNodes', 'yarn rmadmin -refreshNodes -g 3600 -server']);
  assert.equal(excluded('dfs.exclude'), '');
});

test('a refresh that failed is tried again; a dead DataNode not decommissioned may hold the last copy: not out; bad addresses refused', () => {
  writeFileSync(join(dir, 'fail-hdfs'), '');
  let r = drain([W0, W1], { nn: nn({}), rm: rm({}) });
  assert.equal(r.status, 1);
  assert.deepEqual(r.calls, ['hdfs dfsadmin -refreshNodes']);
  spawnSync('rm', [join(dir, 'fail-hdfs')]);
  r = drain([W1, W0], { nn: nn({ [W0]: 'Decommissioned' }, { [W1]: false }), rm: rm({ [W0]: 'DECOMMISSIONED', [W1]: 'LOST' }) });
  assert.deepEqual(r.calls, ['hdfs dfsadmin -refreshNodes', 'yarn rmadmin -refreshNodes -g 3600 -server']);
  assert.equal(excluded('dfs.exclude'), `${W0}\n${W1}\n`, 'sorted, once each');
  assert.deepEqual([r.status, r.out], [1, `hdfs: ${W1}\n`]);
  r = drain([W1, W0], { nn: nn({ [W0]: 'Decommissioned' }, { [W1]: true }), rm: rm({ [W0]: 'DECOMMISSIONED', [W1]: 'LOST' }) });
  assert.deepEqual([r.status, r.out], [0, '']);
  for (const bad of ['192.168.19', 'c-worker-1', '1.2.3.4; reboot']) {
    r = drain([bad], { nn: nn({}), rm: rm({}) });
    assert.equal(r.status, 1);
    assert.match(r.out, /hadoop_exclude_sync: not an address/);
  }
});

test('discomr_drain: blacklisted for tasks and for DDFS, a GC started, out once safe_gc_blacklist names them; called off, whitelisted', () => {
  const run = (args: string[], safe: string, gcList = '[]') => {
    writeFileSync(join(dir, 'disco-calls'), '');
    const script = `${sourceLibs('disco')}
      curl() { local data='' url; while [ $# -gt 0 ]; do case "$1" in --data-binary) data=$2; shift 2 ;; -*) shift ;; *) url=$1; shift ;; esac; done
        echo "\${url#http://127.0.0.1:8989} $data" >>${dir}/disco-calls
        case "$url" in *safe_gc_blacklist) echo '${safe}' ;; *get_gc_blacklist) echo '${gcList}' ;; esac; }
      discomr_drain "$@"`;
    const r = spawnSync('bash', ['--noprofile', '--norc', '-c', script, 'drain', ...args], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
    return { status: r.status, out: r.stdout + r.stderr, calls: readFileSync(join(dir, 'disco-calls'), 'utf8').split('\n').map((l) => l.trimEnd()).filter(Boolean) };
  };
  let r = run(['c-worker-2', 'c-worker-1'], '["c-worker-2"]');
  assert.deepEqual([r.status, r.out], [1, 'c-worker-1\n']);
  assert.deepEqual(r.calls, ['/disco/ctrl/blacklist "c-worker-2"', '/disco/ctrl/gc_blacklist "c-worker-2"', '/disco/ctrl/blacklist "c-worker-1"',
    '/disco/ctrl/gc_blacklist "c-worker-1"', '/ddfs/ctrl/gc_start', '/ddfs/ctrl/safe_gc_blacklist']);
  r = run(['c-worker-2', 'c-worker-1'], '["c-worker-1", "c-worker-2"]');
  assert.deepEqual([r.status, r.out], [0, '']);
  r = run([], '[]', '["c-worker-2"]');
  assert.equal(r.status, 0, r.out);
  assert.deepEqual(r.calls, ['/disco/ctrl/get_gc_blacklist', '/disco/ctrl/whitelist "c-worker-2"', '/disco/ctrl/gc_whitelist "c-worker-2"']);
  r = run(['c-worker-1"; x'], '[]');
  assert.equal(r.status, 2);
  assert.deepEqual(r.calls, []);
});
