// frameworks/hadoop's bash, run for real: the YARN sizing rule against figures worked out by
// hand, the config writer's XML (which key in which file), lib.sh's lack of side effects, and
// that every script parses, alone and pasted into a function body as the renderer does.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { load } from 'js-yaml';
import { libPaths, sourceLibs } from '../helpers/framework-libs.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FW = join(ROOT, 'frameworks');
const LIBS = sourceLibs('hadoop', 'spark', 'zeppelin');

/** Runs `script` in bash after sourcing the three libs, with only PATH and `env` set. */
function bash(script: string, args: string[] = [], env: Record<string, string> = {}) {
  const r = spawnSync('bash', ['-c', `${LIBS}; ${script}`, 'test', ...args], {
    encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function keyValues(text: string, sep = '='): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const i = line.indexOf(sep);
    if (i > 0 && !line.startsWith('#')) out.set(line.slice(0, i), line.slice(i + sep.length));
  }
  return out;
}

function xmlProperties(file: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of readFileSync(file, 'utf8').matchAll(/<property><name>([^<]+)<\/name><value>([^<]*)<\/value><\/property>/g)) {
    out.set(m[1]!, m[2]!);
  }
  return out;
}

function sizing(ram: number, vcpus: number, disks: number): Map<string, string> {
  const r = bash('hadoop_yarn_sizing "$@"', [String(ram), String(vcpus), String(disks)]);
  assert.equal(r.status, 0, r.stderr);
  return keyValues(r.stdout);
}

// DISKS = 0 (what hadoop_write_config passes: a VM's one virtual disk): no disk bound,
// containers = max(1, min(2*cores, floor(available/min_container))).
test('YARN sizing: 2048 MB, 1 vCPU, virtual disk (m1.small)', () => {
  const s = sizing(2048, 1, 0);
  assert.equal(s.get('reserved_mb'), '1024');                          // below 4 GB: 1 GB reserved
  assert.equal(s.get('available_mb'), '1024');                         // 2048 - 1024
  assert.equal(s.get('min_container_mb'), '256');                      // available < 4 GB
  assert.equal(s.get('containers'), '2');                              // min(2*1=2, 1024/256=4): the cores bound
  assert.equal(s.get('ram_per_container_mb'), '512');                  // max(256, 1024/2)
  assert.equal(s.get('yarn.nodemanager.resource.memory-mb'), '1024');  // 2 * 512
  assert.equal(s.get('yarn.scheduler.minimum-allocation-mb'), '512');  // one container
  assert.equal(s.get('yarn.scheduler.maximum-allocation-mb'), '1024'); // 2 * 512
  assert.equal(s.get('yarn.nodemanager.resource.cpu-vcores'), '1');    // the flavor's vCPUs
  assert.equal(s.get('yarn.scheduler.maximum-allocation-vcores'), '1');
  assert.equal(s.get('mapreduce.map.memory.mb'), '512');               // one container
  assert.equal(s.get('mapreduce.reduce.memory.mb'), '512');
  assert.equal(s.get('mapreduce.map.java.opts'), '-Xmx409m');          // floor(0.8 * 512 = 409.6)
  assert.equal(s.get('yarn.app.mapreduce.am.resource.mb'), '512');     // one container
});

test('YARN sizing: 8192 MB, 4 vCPUs, virtual disk (m1.large)', () => {
  const s = sizing(8192, 4, 0);
  assert.equal(s.get('reserved_mb'), '2048');                          // the 8 GB row: 2 GB
  assert.equal(s.get('available_mb'), '6144');                         // 8192 - 2048
  assert.equal(s.get('min_container_mb'), '512');                      // 4 GB <= 6144 < 8 GB
  assert.equal(s.get('containers'), '8');                              // min(2*4=8, 6144/512=12)
  assert.equal(s.get('ram_per_container_mb'), '768');                  // max(512, 6144/8=768)
  assert.equal(s.get('yarn.nodemanager.resource.memory-mb'), '6144');  // 8 * 768
  assert.equal(s.get('yarn.scheduler.minimum-allocation-mb'), '768');  // one container
  assert.equal(s.get('yarn.scheduler.maximum-allocation-mb'), '6144'); // 8 * 768
  assert.equal(s.get('yarn.nodemanager.resource.cpu-vcores'), '4');    // the flavor's vCPUs
  assert.equal(s.get('mapreduce.map.memory.mb'), '768');               // one container
  assert.equal(s.get('mapreduce.reduce.java.opts'), '-Xmx614m');       // floor(0.8 * 768 = 614.4)
  assert.equal(s.get('yarn.app.mapreduce.am.resource.mb'), '768');     // one container
  assert.equal(s.get('yarn.app.mapreduce.am.command-opts'), '-Xmx614m'); // floor(0.8 * 768 = 614.4)
});

test('YARN sizing: 65536 MB, 16 vCPUs, virtual disk', () => {
  const s = sizing(65536, 16, 0);
  assert.equal(s.get('reserved_mb'), '8192');                          // the 64 GB row: 8 GB
  assert.equal(s.get('available_mb'), '57344');                        // 65536 - 8192
  assert.equal(s.get('min_container_mb'), '2048');                     // available > 24 GB
  assert.equal(s.get('containers'), '28');                             // min(2*16=32, 57344/2048=28)
  assert.equal(s.get('ram_per_container_mb'), '2048');                 // max(2048, 57344/28=2048)
  assert.equal(s.get('yarn.nodemanager.resource.memory-mb'), '57344'); // 28 * 2048
  assert.equal(s.get('yarn.scheduler.minimum-allocation-mb'), '2048'); // one container
  assert.equal(s.get('yarn.scheduler.maximum-allocation-mb'), '57344'); // 28 * 2048
  assert.equal(s.get('yarn.nodemanager.resource.cpu-vcores'), '16');   // the flavor's vCPUs
  assert.equal(s.get('mapreduce.map.java.opts'), '-Xmx1638m');         // floor(0.8 * 2048 = 1638.4)
  assert.equal(s.get('yarn.app.mapreduce.am.resource.mb'), '2048');    // one container
});

// DISKS >= 1: HDP's rule with the disk bound ceil(1.8*disks).
test('YARN sizing, HDP disk bound: 1 disk and 4 disks', () => {
  const one = sizing(8192, 4, 1);                                      // available 6144, min container 512 (above)
  assert.equal(one.get('containers'), '2');                            // min(2*4=8, ceil(1.8*1)=2, 6144/512=12)
  assert.equal(one.get('ram_per_container_mb'), '3072');               // max(512, 6144/2)
  assert.equal(one.get('yarn.nodemanager.resource.memory-mb'), '6144'); // 2 * 3072
  assert.equal(one.get('mapreduce.map.java.opts'), '-Xmx2457m');       // floor(0.8 * 3072 = 2457.6)
  const big = sizing(65536, 16, 1);                                    // available 57344, min container 2048 (above)
  assert.equal(big.get('containers'), '2');                            // min(32, ceil(1.8)=2, 28)
  assert.equal(big.get('ram_per_container_mb'), '28672');              // max(2048, 57344/2)
  assert.equal(big.get('yarn.nodemanager.resource.memory-mb'), '57344'); // 2 * 28672
  const d = sizing(65536, 16, 4);
  assert.equal(d.get('containers'), '8');                              // min(32, ceil(1.8*4=7.2)=8, 28)
  assert.equal(d.get('ram_per_container_mb'), '7168');                 // max(2048, 57344/8)
  assert.equal(d.get('yarn.nodemanager.resource.memory-mb'), '57344'); // 8 * 7168
  assert.equal(d.get('mapreduce.map.java.opts'), '-Xmx5734m');         // floor(0.8 * 7168 = 5734.4)
  const many = sizing(8192, 4, 4);
  assert.equal(many.get('containers'), '8');                           // min(8, ceil(7.2)=8, 12): same as DISKS=0
});

test('YARN sizing: table rows, the 512 MB floor, bad input', () => {
  assert.equal(sizing(16384, 8, 0).get('reserved_mb'), '2048');        // 16 GB row: 2 GB
  assert.equal(sizing(24576, 8, 0).get('reserved_mb'), '4096');        // 24 GB row: 4 GB
  assert.equal(sizing(32768, 8, 0).get('reserved_mb'), '4096');        // between 24 and 48: the 24 GB row
  assert.equal(sizing(131072, 32, 0).get('reserved_mb'), '24576');     // 128 GB row: 24 GB
  assert.equal(sizing(524288, 64, 0).get('reserved_mb'), '65536');     // 512 GB row: 64 GB
  const tiny = sizing(1024, 1, 0);                                     // 1024 - 1024 = 0: YARN keeps 512
  assert.equal(tiny.get('available_mb'), '512');
  assert.equal(tiny.get('reserved_mb'), '512');                        // 1024 - 512
  assert.equal(tiny.get('containers'), '2');                           // min(2*1=2, 512/256=2)
  assert.equal(tiny.get('ram_per_container_mb'), '256');               // max(256, 512/2)
  assert.equal(tiny.get('yarn.nodemanager.resource.memory-mb'), '512'); // 2 * 256
  // 0 is a DISKS value only; no empty, signed, non-decimal or zero-padded numbers
  for (const args of [['x', '1', '1'], ['2048', '0', '1'], ['0', '1', '0'], ['2048', '0', '0'], ['2048', '1'],
    ['2048', '1', ''], ['2048', '1', '-1'], ['2048', '1', '00'], ['2048', '1', '08'], ['02048', '1', '0']]) {
    const r = bash('hadoop_yarn_sizing "$@"', args);
    assert.notEqual(r.status, 0, args.join(' '));
    assert.match(r.stderr, /usage: hadoop_yarn_sizing RAM_MB VCPUS DISKS/);
  }
});

const clusterEnv = {
  DISCO_MASTER_IP: '192.168.19.10', DISCO_ROLE: 'worker', DISCO_WORKERS: '3',
  DISCO_HADOOP_REPLICATION: '2', DISCO_HADOOP_RESERVED_DISK_GB: '5',
  DISCO_MASTER_RAM_MB: '65536', DISCO_MASTER_VCPUS: '16', DISCO_MASTER_DISK_GB: '160',
  DISCO_WORKER_RAM_MB: '8192', DISCO_WORKER_VCPUS: '4', DISCO_WORKER_DISK_GB: '80',
  HADOOP_JAVA_HOME: '/usr/lib/jvm/java-17-openjdk-amd64',
};

test('hadoop_write_config: each key in its file, sized from the worker flavor', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hadoop-conf-'));
  const r = bash('hadoop_write_config "$@"', [dir, '/data/hadoop', '192.168.19.21'], clusterEnv);
  assert.equal(r.status, 0, r.stderr);
  const core = xmlProperties(join(dir, 'core-site.xml'));
  const hdfs = xmlProperties(join(dir, 'hdfs-site.xml'));
  const yarn = xmlProperties(join(dir, 'yarn-site.xml'));
  const mapred = xmlProperties(join(dir, 'mapred-site.xml'));
  assert.equal(core.get('fs.defaultFS'), 'hdfs://192.168.19.10:8020');
  assert.equal(hdfs.get('dfs.replication'), '2');
  assert.equal(hdfs.get('dfs.datanode.du.reserved'), '5368709120');   // 5 * 1024^3
  assert.equal(hdfs.get('dfs.namenode.name.dir'), 'file:///data/hadoop/hdfs/name');
  assert.equal(hdfs.get('dfs.datanode.data.dir'), 'file:///data/hadoop/hdfs/data');
  assert.equal(hdfs.get('dfs.namenode.datanode.registration.ip-hostname-check'), 'false');
  // the 8192 MB / 4 vCPU worker's figures with DISKS = 0 (see above), not the 64 GB master's:
  // 8 containers of 768 MB, not the 2 of 3072 MB that one disk would allow
  assert.equal(yarn.get('yarn.nodemanager.resource.memory-mb'), '6144');  // 8 * 768
  assert.equal(yarn.get('yarn.scheduler.minimum-allocation-mb'), '768');  // 6144 / 8
  assert.equal(yarn.get('yarn.scheduler.maximum-allocation-mb'), '6144'); // 8 * 768
  assert.equal(yarn.get('yarn.nodemanager.resource.cpu-vcores'), '4');
  assert.equal(yarn.get('yarn.resourcemanager.hostname'), '192.168.19.10');
  assert.equal(yarn.get('yarn.nodemanager.hostname'), '192.168.19.21');
  assert.equal(yarn.get('yarn.nodemanager.aux-services'), 'mapreduce_shuffle');
  assert.equal(yarn.get('yarn.nodemanager.local-dirs'), '/data/hadoop/yarn/local');
  assert.equal(mapred.get('mapreduce.framework.name'), 'yarn');
  assert.equal(mapred.get('mapreduce.map.memory.mb'), '768');            // one container
  assert.equal(mapred.get('mapreduce.reduce.memory.mb'), '768');
  // floor(0.8 * 768 = 614.4), then the Java 17 opens
  assert.match(mapred.get('mapreduce.map.java.opts') ?? '', /^-Xmx614m --add-opens=java\.base\/java\.lang=ALL-UNNAMED$/);
  assert.match(mapred.get('yarn.app.mapreduce.am.command-opts') ?? '', /^-Xmx614m --add-opens=java\.base\/java\.lang=ALL-UNNAMED$/);
  assert.equal(mapred.get('yarn.app.mapreduce.am.resource.mb'), '768');   // one container
  assert.equal(mapred.get('yarn.app.mapreduce.am.env'), 'HADOOP_MAPRED_HOME=/opt/hadoop');
  assert.equal(mapred.get('mapreduce.jobhistory.address'), '192.168.19.10:10020');
  // nothing in the wrong file
  for (const [name, props] of [['core-site', core], ['hdfs-site', hdfs]] as const) {
    for (const k of props.keys()) assert.doesNotMatch(k, /^(yarn|mapreduce)\./, `${k} in ${name}.xml`);
  }
  assert.equal(core.has('yarn.nodemanager.resource.memory-mb'), false);
  assert.equal(core.has('dfs.replication'), false);
  for (const k of yarn.keys()) assert.doesNotMatch(k, /^(mapreduce\.|yarn\.app\.mapreduce\.|dfs\.|fs\.)/, `${k} in yarn-site.xml`);
  for (const k of mapred.keys()) assert.match(k, /^(mapreduce\.|yarn\.app\.mapreduce\.)/, `${k} in mapred-site.xml`);
  // hadoop-env.sh is bash that the hadoop commands source
  assert.equal(spawnSync('bash', ['-n', join(dir, 'hadoop-env.sh')]).status, 0);
  assert.match(readFileSync(join(dir, 'hadoop-env.sh'), 'utf8'), /HADOOP_OPTS=.*--add-opens=java\.base\/java\.lang=ALL-UNNAMED/);
  // the JDK Hadoop was installed with, fixed: never whatever /usr/bin/java is by then
  assert.match(readFileSync(join(dir, 'hadoop-env.sh'), 'utf8'), /^export JAVA_HOME=\/usr\/lib\/jvm\/java-17-openjdk-amd64$/m);
  assert.doesNotMatch(readFileSync(join(dir, 'hadoop-env.sh'), 'utf8'), /command -v java|readlink/);
});

test('hadoop_java_home: the home of the JDK package Hadoop installs, from its file list; none is an error', () => {
  const bin = mkdtempSync(join(tmpdir(), 'dpkg-'));
  // dpkg -L lists the package's files; /usr/bin/java elsewhere (alternatives) does not count
  writeFileSync(join(bin, 'dpkg'), '#!/bin/bash\n[ "$1 $2" = "-L openjdk-17-jre-headless" ] || exit 1\nprintf "%s\\n" /usr/share/doc/x /usr/lib/jvm/java-17-openjdk-arm64/lib/x /usr/lib/jvm/java-17-openjdk-arm64/bin/java /usr/lib/jvm/java-17-openjdk-arm64/bin/jfr\n');
  chmodSync(join(bin, 'dpkg'), 0o755);
  const r = bash('hadoop_java_home', [], { PATH: `${bin}:${process.env.PATH}` });
  assert.equal(r.stdout, '/usr/lib/jvm/java-17-openjdk-arm64\n', r.stderr);
  writeFileSync(join(bin, 'dpkg'), '#!/bin/bash\nexit 1\n');
  const none = bash('hadoop_java_home', [], { PATH: `${bin}:${process.env.PATH}` });
  assert.notEqual(none.status, 0);
  assert.match(none.stderr, /the package openjdk-17-jre-headless installed no \/usr\/lib\/jvm\/\*\/bin\/java/);
});

test('hadoop_write_config: a missing environment variable fails, naming it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hadoop-conf-'));
  const { DISCO_WORKER_RAM_MB: _omit, ...env } = clusterEnv;
  const r = bash('hadoop_write_config "$@"', [dir, '/data/hadoop', '192.168.19.21'], env);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /DISCO_WORKER_RAM_MB is not set/);
  const r2 = bash('hadoop_write_config "$@"', [dir, '/d', '10.0.0.2'], { ...clusterEnv, DISCO_HADOOP_REPLICATION: '' });
  assert.match(r2.stderr, /DISCO_HADOOP_REPLICATION is not set/);
});

test('hadoop_check: bounded, and its failure says what is not ready', () => {
  const ok = bash('hadoop_check 30 hadoop-namenode "NameNode" true');
  assert.equal(ok.status, 0);
  assert.equal(ok.stdout.trim().split('\n').at(-1), 'NameNode: ready');
  const started = Date.now();
  const r = bash('hadoop_check 0 hadoop-namenode "NameNode (hdfs dfsadmin -report)" false; echo "rc=$?"');
  assert.ok(Date.now() - started < 5000);
  assert.match(r.stdout, /rc=1$/m);
  assert.match(r.stderr, /ERROR: NameNode \(hdfs dfsadmin -report\): not ready after 0s \(unit hadoop-namenode; check: false\)/);
});

test('hadoop_xml escapes values', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hadoop-xml-'));
  const r = bash('printf "%s\\n" "a.b=x<y & z>w=1" | hadoop_xml "$1/t.xml"', [dir]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(readFileSync(join(dir, 't.xml'), 'utf8'), /<name>a\.b<\/name><value>x&lt;y &amp; z&gt;w=1<\/value>/);
});

test('each lib file only defines functions with its prefix and prints nothing', () => {
  for (const lib of ['hadoop', 'spark', 'zeppelin'].flatMap(libPaths)) {
    const fw = lib.split('/').at(-2)!;
    // variables before and after sourcing (PIPESTATUS is bash's own), then the new functions
    const r = spawnSync('bash', ['--noprofile', '--norc', '-c',
      `compgen -v | grep -vx PIPESTATUS >"$2.v1"; compgen -A function >"$2.f1"; source "$1" >"$2" 2>&1
       compgen -v | grep -vx PIPESTATUS >"$2.v2"
       [ ! -s "$2" ] || { echo "printed: $(cat "$2")"; exit 1; }
       diff "$2.v1" "$2.v2" >&2 || { echo "sets variables"; exit 1; }
       compgen -A function | sort | comm -13 <(sort "$2.f1") -`, 'test', lib, join(mkdtempSync(join(tmpdir(), 'lib-')), 'out')],
    { encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const fns = r.stdout.trim().split('\n');
    assert.ok(fns.length >= 2, `${fw}: functions ${fns.join(' ')}`);
    for (const f of fns) assert.ok(f.startsWith(`${fw}_`), `${fw}/lib.sh defines ${f}`);
  }
});

test('every script parses, alone and as the renderer pastes it (all + role in one function)', () => {
  for (const fw of ['hadoop', 'spark', 'zeppelin']) {
    const manifest = load(readFileSync(join(FW, fw, 'framework.yaml'), 'utf8')) as { scripts: Record<string, string | string[]> };
    const sh = readdirSync(join(FW, fw)).filter((f) => f.endsWith('.sh'));
    assert.deepEqual(Object.values(manifest.scripts).flat().sort(), sh.sort(), `${fw}: every script is in the manifest`);
    for (const f of sh) {
      const text = readFileSync(join(FW, fw, f), 'utf8');
      assert.match(text, /^#!\/bin\/bash\n/, `${fw}/${f} starts with #!/bin/bash`);
      assert.equal(spawnSync('bash', ['-n', join(FW, fw, f)]).status, 0, `${fw}/${f} parses`);
      if (![manifest.scripts.lib].flat().includes(f)) assert.doesNotMatch(text, /^\s*(exit|set -x|return|local)\b/m, `${fw}/${f}: no exit, set -x, local or return`);
    }
    for (const role of ['master', 'worker'] as const) {
      const parts = [manifest.scripts.all, manifest.scripts[role]].filter((x): x is string => Boolean(x))
        .map((s) => readFileSync(join(FW, fw, s), 'utf8').replace(/^#!.*\n/, ''));
      if (!parts.length) continue;
      const r = spawnSync('bash', ['-n'], { input: `f() {\n${parts.join('\n')}\n}\n`, encoding: 'utf8' });
      assert.equal(r.status, 0, `${fw} ${role} section: ${r.stderr}`);
    }
  }
});

test('the scripts install the manifests\' versions, and hadoop runs on every node', () => {
  for (const [fw, fn] of [['hadoop', 'hadoop_version'], ['spark', 'spark_version'], ['zeppelin', 'zeppelin_version']] as const) {
    const manifest = load(readFileSync(join(FW, fw, 'framework.yaml'), 'utf8')) as { version: string };
    assert.equal(bash(fn).stdout.trim(), manifest.version, `${fw}: ${fn} = manifest version`);
  }
  const hadoop = load(readFileSync(join(FW, 'hadoop', 'framework.yaml'), 'utf8')) as { scripts: Record<string, string | string[]> };
  assert.deepEqual(hadoop.scripts, { lib: ['lib.sh', 'drain.sh'], all: 'all.sh', master: 'master.sh', worker: 'worker.sh' });
  for (const s of Object.values(hadoop.scripts).flat()) assert.ok(existsSync(join(FW, 'hadoop', s)));
});

test('hadoop_member: a worker is a member once the NameNode lists it live and the ResourceManager RUNNING, by its address', () => {
  // shapes as Hadoop 3.3 serves them: NameNodeInfo's LiveNodes is a JSON string inside the bean
  const live = (...ips: string[]) => JSON.stringify({ beans: [{ name: 'Hadoop:service=NameNode,name=NameNodeInfo',
    LiveNodes: JSON.stringify(Object.fromEntries(ips.map((ip, i) => [`c-worker-${i}:9866`, { infoAddr: `${ip}:9864`, xferaddr: `${ip}:9866`, adminState: 'In Service' }]))) }] });
  const rm = (...nodes: [string, string][]) => JSON.stringify({ nodes: nodes.length ? { node: nodes.map(([ip, state]) => ({ nodeHostName: ip, nodeHTTPAddress: `${ip}:8042`, state })) } : null });
  const table: [string, string, string, boolean][] = [
    ['hdfs', '192.168.19.21', live('192.168.19.20', '192.168.19.21'), true],
    ['hdfs', '192.168.19.2', live('192.168.19.20', '192.168.19.21'), false],      // a prefix of another address
    ['hdfs', '192.168.19.21', live(), false],
    ['yarn', '192.168.19.21', rm(['192.168.19.21', 'RUNNING']), true],
    ['yarn', '192.168.19.21', rm(['192.168.19.21', 'NEW']), false],
    ['yarn', '192.168.19.21', rm(['192.168.19.210', 'RUNNING']), false],
    ['yarn', '192.168.19.21', rm(), false],                                          // {"nodes": null}: none yet
  ];
  for (const [kind, ip, doc, member] of table) {
    const r = spawnSync('bash', ['-c', `${LIBS}; hadoop_member "$@"`, 'test', kind, ip], { input: doc, encoding: 'utf8' });
    assert.equal(r.status === 0, member, `${kind} ${ip} in ${doc}: ${r.stderr}`);
  }
  assert.equal(bash('hadoop_joined hbase 1.2.3.4').status, 2);
});
