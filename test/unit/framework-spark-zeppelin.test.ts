// frameworks/spark and frameworks/zeppelin's bash, run for real: executor sizes that fit the
// YARN containers of a worker flavor (figures worked out by hand), and what the config
// writers put where. Their scripts' parsing is checked in framework-hadoop.test.ts.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { sourceLibs } from '../helpers/framework-libs.js';

const FW = fileURLToPath(new URL('../../frameworks/', import.meta.url));
const LIBS = sourceLibs('hadoop', 'spark', 'zeppelin');

function bash(script: string, args: string[] = [], env: Record<string, string> = {}) {
  const r = spawnSync('bash', ['-c', `${LIBS}; ${script}`, 'test', ...args], {
    encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function keyValues(text: string, sep: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const i = line.indexOf(sep);
    if (i > 0 && !line.startsWith('#')) out.set(line.slice(0, i), line.slice(i + sep.length));
  }
  return out;
}

/** DISKS 0, a VM's virtual disk, as spark_write_config and hadoop_write_config pass. */
function sizing(ram: number, vcpus: number, disks = 0): Map<string, string> {
  const r = bash('spark_yarn_sizing "$@"', [String(ram), String(vcpus), String(disks)]);
  assert.equal(r.status, 0, r.stderr);
  return keyValues(r.stdout, '=');
}

test('Spark executors fit the YARN containers: 2048 MB, 1 vCPU', () => {
  // YARN: 2 containers of 512 MB, NodeManager 1024 MB (framework-hadoop.test.ts; 2*cores binds)
  const s = sizing(2048, 1);
  assert.equal(s.get('executor_container_mb'), '1024');          // 512 < 1024, 512+512 <= 1024: two containers
  assert.equal(s.get('spark.executor.memoryOverhead'), '384m');  // max(384, 1024/10=102)
  assert.equal(s.get('spark.executor.memory'), '640m');          // 1024 - 384, above Spark's 450 MB floor
  assert.equal(s.get('executors_per_node'), '1');                // 1024 / 1024
  assert.equal(s.get('spark.executor.cores'), '1');              // max(1, 1/1)
  assert.equal(s.get('spark.yarn.am.memory'), '384m');           // 512 < 896: one 512 MB container, 512 - 128
  assert.equal(s.get('spark.yarn.am.memoryOverhead'), '128m');
});

test('Spark executors fit the YARN containers: 8192 MB, 4 vCPUs', () => {
  // YARN: 8 containers of 768 MB, NodeManager 6144 MB
  const s = sizing(8192, 4);
  assert.equal(s.get('executor_container_mb'), '1536');          // 768 < 1024, 768+768=1536 <= 6144: two containers
  assert.equal(s.get('spark.executor.memoryOverhead'), '384m');  // max(384, 1536/10=153)
  assert.equal(s.get('spark.executor.memory'), '1152m');         // 1536 - 384
  assert.equal(s.get('executors_per_node'), '4');                // 6144 / 1536
  assert.equal(s.get('spark.executor.cores'), '1');              // max(1, 4/4=1)
  assert.equal(s.get('spark.yarn.am.memory'), '640m');           // 768 < 512+384=896: one container, 768 - 128
  assert.equal(s.get('spark.yarn.am.memoryOverhead'), '128m');
});

test('Spark executors fit the YARN containers: 65536 MB, 16 vCPUs', () => {
  // YARN: 28 containers of 2048 MB, NodeManager 57344 MB
  const s = sizing(65536, 16);
  assert.equal(s.get('executor_container_mb'), '2048');          // one container (2048 >= 1024)
  assert.equal(s.get('spark.executor.memoryOverhead'), '384m');  // max(384, 2048/10=204)
  assert.equal(s.get('spark.executor.memory'), '1664m');         // 2048 - 384
  assert.equal(s.get('executors_per_node'), '28');               // 57344 / 2048
  assert.equal(s.get('spark.executor.cores'), '1');              // max(1, 16/28=0)
  assert.equal(s.get('spark.yarn.am.memory'), '512m');           // Spark's default, 512 + 384 = 896 <= 2048
  assert.equal(s.get('spark.yarn.am.memoryOverhead'), '384m');
});

test('Spark executors with HDP\'s disk bound: 65536 MB, 16 vCPUs, 1 disk', () => {
  // YARN: 2 containers of 28672 MB, NodeManager 57344 MB (min(32, ceil(1.8)=2, 28))
  const s = sizing(65536, 16, 1);
  assert.equal(s.get('executor_container_mb'), '28672');         // one container
  assert.equal(s.get('spark.executor.memoryOverhead'), '2867m'); // 28672 / 10 = 2867.2 > 384
  assert.equal(s.get('spark.executor.memory'), '25805m');        // 28672 - 2867
  assert.equal(s.get('executors_per_node'), '2');                // 57344 / 28672
  assert.equal(s.get('spark.executor.cores'), '8');              // 16 / 2
});

const env = { DISCO_MASTER_IP: '192.168.19.10', DISCO_WORKER_RAM_MB: '8192', DISCO_WORKER_VCPUS: '4', DISCO_WORKER_DISK_GB: '80',
  HADOOP_JAVA_HOME: '/usr/lib/jvm/java-17-openjdk-amd64' };

test('spark_write_config: on YARN, event logs in HDFS, executors sized', () => {
  const dir = mkdtempSync(join(tmpdir(), 'spark-conf-'));
  const r = bash('spark_write_config "$1"', [dir], env);
  assert.equal(r.status, 0, r.stderr);
  const d = keyValues(readFileSync(join(dir, 'spark-defaults.conf'), 'utf8'), ' ');
  assert.equal(d.get('spark.master'), 'yarn');
  assert.equal(d.get('spark.submit.deployMode'), 'client');
  assert.equal(d.get('spark.eventLog.enabled'), 'true');
  assert.equal(d.get('spark.eventLog.dir'), 'hdfs:///spark-logs');
  assert.equal(d.get('spark.history.fs.logDirectory'), 'hdfs:///spark-logs');
  assert.equal(d.get('spark.history.ui.port'), '18080');
  assert.equal(d.get('spark.yarn.historyServer.address'), '192.168.19.10:18080');
  // the 8192 MB / 4 vCPU worker with DISKS = 0: 8 YARN containers of 768 MB (above)
  assert.equal(d.get('spark.executor.memory'), '1152m');         // 2 * 768 - 384
  assert.equal(d.get('spark.executor.memoryOverhead'), '384m');  // max(384, 1536/10=153)
  assert.equal(d.get('spark.executor.cores'), '1');              // max(1, 4 vCPUs / 4 executors)
  assert.equal(d.get('spark.yarn.am.memory'), '640m');           // 768 - 128
  assert.equal(d.get('spark.yarn.am.memoryOverhead'), '128m');
  assert.equal(d.has('executor_container_mb'), false);
  // spark-env.sh, sourced by bash: Hadoop's configuration and the driver's address
  // and Hadoop's JDK, fixed
  const e = spawnSync('bash', ['-c', 'source "$1/spark-env.sh"; echo "$HADOOP_CONF_DIR|$YARN_CONF_DIR|$SPARK_LOCAL_IP|$JAVA_HOME"', 'test', dir], { encoding: 'utf8' });
  assert.equal(e.stdout.trim(), '/opt/hadoop/etc/hadoop|/opt/hadoop/etc/hadoop|192.168.19.10|/usr/lib/jvm/java-17-openjdk-amd64');
});

test('spark_write_config refuses workers too small for an executor', () => {
  const dir = mkdtempSync(join(tmpdir(), 'spark-conf-'));
  // 1024 MB: YARN keeps 512 MB, 2 containers of 256 (min(2*1=2, 512/256=2)); executor
  // 2 * 256 = 512 MB, 512 - 384 = 128 MB heap < 450
  const r = bash('spark_write_config "$1"', [dir], { ...env, DISCO_WORKER_RAM_MB: '1024' });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /128m heap, Spark needs 450m/);
  const r2 = bash('spark_write_config "$1"', [dir], { DISCO_WORKER_RAM_MB: '8192', DISCO_WORKER_VCPUS: '4' });
  assert.notEqual(r2.status, 0);
  assert.match(r2.stderr, /DISCO_MASTER_IP is not set/);
});

test('zeppelin_write_config: 8070 on every address, Spark from /opt/spark on YARN', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zeppelin-conf-'));
  const r = bash('zeppelin_write_config "$1"', [dir], env);
  assert.equal(r.status, 0, r.stderr);
  const e = spawnSync('bash', ['-c', 'source "$1/zeppelin-env.sh"; echo "$ZEPPELIN_ADDR|$ZEPPELIN_PORT|$SPARK_HOME|$SPARK_MASTER|$HADOOP_CONF_DIR|$JAVA_HOME"; echo "$ZEPPELIN_JAVA_OPTS"',
    'test', dir], { encoding: 'utf8' });
  const [vars, opts] = e.stdout.split('\n');
  assert.equal(vars, '0.0.0.0|8070|/opt/spark|yarn|/opt/hadoop/etc/hadoop|/usr/lib/jvm/java-17-openjdk-amd64');
  assert.match(opts ?? '', /--add-opens=java\.base\/java\.lang=ALL-UNNAMED/);
  const site = readFileSync(join(dir, 'zeppelin-site.xml'), 'utf8');
  assert.match(site, /<name>zeppelin\.server\.port<\/name><value>8070<\/value>/);
  assert.match(site, /<name>zeppelin\.server\.addr<\/name><value>0\.0\.0\.0<\/value>/);
});

test('Zeppelin and the history server run as their own users, never root', () => {
  const z = readFileSync(join(FW, 'zeppelin', 'master.sh'), 'utf8');
  assert.match(z, /^hadoop_unit zeppelin "[^"]*" zeppelin \/opt\/zeppelin\/bin\/zeppelin\.sh$/m);
  const s = readFileSync(join(FW, 'spark', 'master.sh'), 'utf8');
  assert.match(s, /^hadoop_unit spark-history-server "[^"]*" spark \\$/m);
});
