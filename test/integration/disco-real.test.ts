// Disco MapReduce for real, on real nodes (scripts/local-cloud/node-runner): a master and two
// workers built from upstream's 0.5.4 source reach `ready`, `disco nodeinfo` lists both
// workers with their slots, and the word count of Disco's own tutorial (a map and a reduce
// over a text file chunked into DDFS) returns the right counts; the master restarted by systemd;
// a scale to 3 and back to 2 with replicas 2, every DDFS blob still readable.
//
// Disco's source cannot be downloaded here. This file runs when the archive is at
//   $SM_TEST_ARTIFACTS/disco/disco-0.5.4.tar.gz   (default /var/lib/disco-local-cloud/artifacts)
// (`scripts/mirror-sync /var/lib/disco-local-cloud/artifacts` puts it there where GitHub is
// reachable; its gunzipped content must be the tar Disco's manifest pins), served to the nodes
// as their mirror. Without it, it says loudly that it did not run.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import request from 'supertest';
import { cloud } from '../helpers/cloud.js';
import { emptyLane } from '../helpers/heat.js';
import { startNodeRunner, type RunningSim } from '../helpers/node-sim.js';
import { attributesWith, inProcess, KIND_CATEGORY, passwordHeaders, textAttributes } from '../helpers/service.js';
import { keyFile, sshWhenUp } from '../helpers/ssh.js';

const LANE = 'disco';
const ARTIFACTS = process.env.SM_TEST_ARTIFACTS ?? join(process.env.LOCAL_CLOUD_STATE ?? '/var/lib/disco-local-cloud', 'artifacts');
const ARCHIVE = join(ARTIFACTS, 'disco/disco-0.5.4.tar.gz');
const NOT_RUN = existsSync(ARCHIVE) ? false : `NOT RUN: no Disco source archive at ${ARCHIVE} (see the head of test/integration/disco-real.test.ts)`;
if (NOT_RUN) console.error(`\n${'!'.repeat(100)}\n!! disco-real.test.ts ${NOT_RUN}\n${'!'.repeat(100)}\n`);

/** The nodes reach this mirror at their own 127.0.0.1:8078 (nodes/ctl forwards it). */
const MIRROR_PORT = 8078;
const mirror = createServer((req, res) => {
  if (req.url === '/disco/disco-0.5.4.tar.gz') res.end(readFileSync(ARCHIVE)); else res.writeHead(404).end();
});
const os = cloud(LANE);
const headers = passwordHeaders(LANE);
const { service } = NOT_RUN ? { service: undefined } : inProcess({ SM_INSTALL_TIMEOUT_SECONDS: '1500', SM_MIRROR_URL: `http://127.0.0.1:${MIRROR_PORT}` });
let runner: RunningSim | undefined;
before(async () => {
  if (NOT_RUN) return;
  await emptyLane(os.heat);
  await new Promise<void>((r) => mirror.listen(MIRROR_PORT, '127.0.0.1', r));
  runner = await startNodeRunner(['--project', LANE]);
  await service!.startWorker();
});
after(async () => {
  await service?.close();
  await runner?.stop();
  mirror.close();
});

const title = `dreal-${process.pid}`;
/** The tutorial's word count (Disco's doc/start/tutorial.rst, examples/util/count_words.py)
 * over DDFS, as its "What next?" says: input tag://..., map_reader chain_reader (chunked data
 * is in Disco's own format: doc/howto/chunk.rst). */
const WORDS = 'the quick brown fox jumps over the lazy dog\nthe dog barks\nfox and dog\n';
const COUNT_WORDS = `from disco.core import Job, result_iterator
from disco.worker.task_io import chain_reader

def map(line, params):
    for word in line.split():
        yield word, 1

def reduce(iter, params):
    from disco.util import kvgroup
    for word, counts in kvgroup(sorted(iter)):
        yield word, sum(counts)

if __name__ == '__main__':
    job = Job().run(input=["tag://data:words"], map=map, reduce=reduce, map_reader=chain_reader)
    for word, count in result_iterator(job.wait()):
        print(word, count)
`;

test('a Disco cluster on real nodes: ready, both workers in the node table with their slots, the tutorial\'s word count right, a scale 3 -> 2 that keeps every DDFS blob, a rebooted worker back by itself', { skip: NOT_RUN, timeout: 1_800_000 }, async () => {
  const api = request(service!.app);
  const r = await api.post('/disco/').set('Category', KIND_CATEGORY).set('Content-Type', 'text/occi').set(headers)
    // master_multiplier 1: the master runs tasks too (its row in the node table), and holds no DDFS data
    .set('X-OCCI-Attribute', `${attributesWith(2, "{'disco':''}")}, occi.core.title="${title}", icclab.disco.components.bootstrap.master_multiplier="1"`);
  assert.equal(r.status, 201, r.text);
  const path = new URL(r.headers.location as string).pathname;
  let a = new Map<string, string>();
  for (const deadline = Date.now() + 1_500_000; Date.now() < deadline; await sleep(2000)) {
    a = textAttributes((await api.get(path).set(headers)).text);
    if (['ready', 'failed'].includes(a.get('icclab.disco.state') ?? '')) break;
  }
  assert.equal(a.get('icclab.disco.state'), 'ready', `${a.get('icclab.disco.reason')}: ${a.get('icclab.disco.message')}\n${runner!.lines.slice(-20).join('\n')}`);
  const key = keyFile(a.get('ssh_private_key')!);
  const asDisco = (script: string) => sshWhenUp(key, `${a.get('ssh_user')}@${a.get('external_ip')}`, 'sudo -u disco -H bash -s', 120_000,
    `set -euo pipefail\ncd ~\n${script}`);

  const info = await asDisco('disco nodeinfo');
  assert.equal(info.code, 0, info.stderr);
  const nodes = Object.fromEntries(info.stdout.trim().split('\n').map((l) => l.split('\t')));
  assert.deepEqual(Object.keys(nodes).sort(), [`${title}-master`, `${title}-worker-0`, `${title}-worker-1`], info.stdout);
  for (const n of Object.values(nodes)) assert.match(String(n), /'max_workers': 1\b/, info.stdout);

  const run = await asDisco(`cat > words.txt <<'EOF'\n${WORDS}EOF\nddfs chunk data:words ./words.txt >/dev/null\ncat > count_words.py <<'EOF'\n${COUNT_WORDS}EOF\npython3 count_words.py`);
  assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
  // on Python 3 Disco 0.5.4 hands map functions bytes (it reads inputs in binary), so the
  // tutorial's job, unchanged, prints b'the' 3
  const counts = Object.fromEntries(run.stdout.trim().split('\n').map((l) => /^b'([a-z]+)' (\d+)$/.exec(l) ?? ['', l, 'NaN']).map(([, w, c]) => [w, Number(c)]));
  // counted by hand from WORDS
  assert.deepEqual(counts, { and: 1, barks: 1, brown: 1, dog: 3, fox: 2, jumps: 1, lazy: 1, over: 1, quick: 1, the: 3 }, run.stdout);

  // the master is supervised: its Erlang VM killed, systemd starts it again and it reconnects its workers
  const login = (cmd: string) => sshWhenUp(key, `${a.get('ssh_user')}@${a.get('external_ip')}`, cmd, 120_000);
  const killed = await login('sudo systemctl is-enabled discomr-master; sudo pkill -KILL -u disco -f "beam.*-sname disco_8989_master"; sleep 1; for i in $(seq 1 90); do ' +
    'n=$(curl -sf http://127.0.0.1:8989/disco/ctrl/nodeinfo | python3 -c "import json,sys; print(sum(1 for v in json.load(sys.stdin).values() if v[\'connected\']))" 2>/dev/null) && [ "$n" = 3 ] && break; sleep 2; done; ' +
    'echo "connected $n"; sudo systemctl show -p NRestarts --value discomr-master');
  assert.deepEqual(killed.stdout.trim().split('\n'), ['enabled', 'connected 3', '1'], killed.stderr);

  // a scale-up: the new worker's section ends only once the master lists it connected, so at
  // ready the node table has the three workers, connected
  const ACTION_SCALE = 'scale; scheme="http://schemas.cloudcomplab.ch/occi/sm/action#"; class="action"';
  const up = await api.post(`${path}?action=scale`).set('Category', ACTION_SCALE).set('Content-Type', 'text/occi').set(headers)
    .set('X-OCCI-Attribute', 'icclab.disco.components.heat.slavecount=3');
  assert.equal(up.status, 202, up.text);
  for (const deadline = Date.now() + 900_000; Date.now() < deadline; await sleep(2000)) {
    a = textAttributes((await api.get(path).set(headers)).text);
    // a failed scale ends ready too, back at 2 workers, saying why
    if (['ready', 'failed'].includes(a.get('icclab.disco.state') ?? '') && (a.get('icclab.disco.components.heat.slavecount') === '3' || a.get('icclab.disco.message'))) break;
  }
  assert.equal(a.get('icclab.disco.state'), 'ready', `${a.get('icclab.disco.reason')}: ${a.get('icclab.disco.message')}`);
  assert.equal(a.get('icclab.disco.message') ?? '', '', 'the scale-up failed');
  const three = await asDisco('disco nodeinfo');
  const table = Object.fromEntries(three.stdout.trim().split('\n').map((l) => l.split('\t')));
  assert.deepEqual(Object.keys(table).sort(), [`${title}-master`, ...[0, 1, 2].map((i) => `${title}-worker-${i}`)], three.stdout);
  for (const n of Object.values(table)) assert.match(String(n), /'connected': True/, three.stdout);

  // a scale-down with replicas 2: worker-2 leaves only once DDFS copied what it held to the
  // others (the master's drain agent: blacklist, GC, safe_gc_blacklist); every blob stays readable
  // DDFS writes to random nodes among those whose disk it knows: blobs until one has a replica on
  // worker-2 (its disk is reported some seconds after it joined), else the test would prove nothing
  const pushed = await asDisco('i=0; until [[ $(ddfs blobs data:blobs 2>/dev/null || true) == *-worker-2/* ]]; do i=$((i + 1)); [ $i -le 40 ] || exit 3; '
    + 'echo "blob $i of the scale-down" > b$i; ddfs push data:blobs ./b$i >/dev/null; sleep 2; done; echo "pushed $i"');
  assert.equal(pushed.code, 0, `no blob replica on worker-2 after 40 blobs: ${pushed.stdout}\n${pushed.stderr}`);
  const n = Number(/pushed (\d+)/.exec(pushed.stdout)?.[1]);
  const BLOBS = Array.from({ length: n }, (_, i) => `blob ${i + 1} of the scale-down`);
  const down = await api.post(path).set('Content-Type', 'text/occi').set(headers).set('X-OCCI-Attribute', 'icclab.disco.components.heat.slavecount=2');
  assert.equal(down.status, 200, down.text);
  for (const deadline = Date.now() + 900_000; Date.now() < deadline; await sleep(2000)) {
    a = textAttributes((await api.get(path).set(headers)).text);
    if (['ready', 'failed'].includes(a.get('icclab.disco.state') ?? '') && (a.get('icclab.disco.components.heat.slavecount') === '2' || a.get('icclab.disco.message'))) break;
  }
  assert.equal(a.get('icclab.disco.state'), 'ready', `${a.get('icclab.disco.reason')}: ${a.get('icclab.disco.message')}`);
  assert.equal(a.get('icclab.disco.message') ?? '', '', 'the scale-down failed');
  assert.equal(a.get('icclab.disco.components.heat.slavecount'), '2');
  const agent = await login('sudo journalctl -u disco-drain-agent --no-pager -o cat | tail -n 5');
  assert.match(agent.stdout, new RegExp(`to 2 workers: drained: ${title}-worker-2`), agent.stdout);
  const kept = await asDisco('ddfs blobs data:blobs; echo ---; ddfs cat data:blobs | sort');
  assert.equal(kept.code, 0, kept.stderr);
  const [replicas, content] = kept.stdout.split('---\n');
  assert.doesNotMatch(replicas!, new RegExp(`${title}-worker-2`), `a blob still names the removed worker:\n${replicas}`);
  assert.doesNotMatch(pushed.stdout + replicas!, new RegExp(`${title}-master`), `DDFS put data on the master:\n${replicas}`);
  const gcb = await login('curl -sf http://127.0.0.1:8989/disco/ctrl/get_gc_blacklist');
  assert.ok((JSON.parse(gcb.stdout) as string[]).includes(`${title}-master`), `the master stays out of DDFS: ${gcb.stdout}`);
  assert.deepEqual(content!.trim().split('\n'), [...BLOBS].sort(), kept.stdout);

  // read from outside, through the gateway (as disposabledisco proxied the workers' HTTP through
  // the master): disco://<worker>/<path> is https://<external_ip>:18989/node/<worker>/<path>
  const first = /^disco:\/\/([^/\s]+)(\/\S+)/.exec(replicas!)!;
  const curl = (url: string, user?: string) => execFileSync('curl', ['-s', '-k', '--pinnedpubkey', a.get('icclab.disco.gateway.pin')!, '-o', '-', '-w', '\n%{http_code}',
    ...(user ? ['-u', user] : []), url], { encoding: 'utf8' }).split('\n');
  const gw = `https://${a.get('external_ip')}:18989/node`;
  const password = a.get('icclab.disco.components.bootstrap.gateway_password')!;
  const blob = curl(`${gw}/${first[1]}${first[2]!.replace(/\$/g, '%24')}`, `disco:${password}`);
  assert.equal(blob.at(-1), '200', blob.join('\n'));
  assert.ok(BLOBS.includes(blob[0]!), blob.join('\n'));
  assert.equal(curl(`${gw}/${first[1]}${first[2]}`).at(-1), '401', 'not without the password');
  assert.equal(curl(`${gw}/${title}-worker-7/ddfs/`, `disco:${password}`).at(-1), '404', 'a name no worker registered is no way in');
  assert.equal(curl(`${gw}/example.org/`, `disco:${password}`).at(-1), '404', 'nor any other host');

  // a worker the master dropped (as after 90 s of silence: its registration deleted, out of the
  // node table) and rebooted registers again by itself (disco-register.service) and is back
  const w1 = `${title}-worker-1`;
  const connected = `curl -sf http://127.0.0.1:8989/disco/ctrl/nodeinfo | python3 -c "import json,sys; print(json.load(sys.stdin).get('${w1}', {}).get('connected'))"`;
  const back = await login(`ip=$(sudo awk '{print $1}' /etc/disco-cluster/hosts.d/${w1}); sudo rm /etc/disco-cluster/hosts.d/${w1}; `
    + `for i in $(seq 1 60); do [ "$(${connected})" = None ] && break; sleep 2; done; echo "dropped: $(${connected})"; `
    + `sudo ssh -i /root/.ssh/disco_cluster -o BatchMode=yes -o StrictHostKeyChecking=no root@$ip systemctl reboot </dev/null >/dev/null 2>&1 || true; `
    + `for i in $(seq 1 150); do [ "$(${connected})" = True ] && break; sleep 2; done; echo "back: $(${connected})"`);
  assert.deepEqual(back.stdout.trim().split('\n'), ['dropped: None', 'back: True'], back.stderr);
  assert.equal((await api.delete(path).set(headers)).status, 200);
});
