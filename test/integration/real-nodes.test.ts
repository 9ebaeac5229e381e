// Real nodes (scripts/local-cloud/node-runner: a systemd container per server, booted by
// cloud-init from the server's user_data): a bootstrap-only cluster of a master and two
// workers is `ready` only once the three nodes' own scripts signalled, and then ICCLab's
// README's last steps work for real: ssh to external_ip as ssh_user with the private key GET
// gave, the package is installed and the post_init file is on every node, and the cluster
// key reaches both workers from the master. A post_init that fails gives BOOTSTRAP_FAILED
// with the failing command's own error line. On a Disco cluster the disco user's own key opens
// the disco account of the other node, never root's.
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { connect as tlsConnect } from 'node:tls';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { gzipSync } from 'node:zlib';
import { after, before, test } from 'node:test';
import request from 'supertest';
import { discoBin, osEnv } from '../helpers/cli.js';
import { cloud } from '../helpers/cloud.js';
import { emptyLane, waitForGone } from '../helpers/heat.js';
import { startNodeRunner, type RunningSim } from '../helpers/node-sim.js';
import { attributesWith, icclabAttributes, inProcess, KIND_CATEGORY, passwordHeaders, ROOT, textAttributes } from '../helpers/service.js';
import { keyFile, sshWhenUp } from '../helpers/ssh.js';
import { nodeDirs, nodeNamed } from '../helpers/real-nodes.js';

const LANE = 'nodes';
const os = cloud(LANE);
const headers = passwordHeaders(LANE);
/** The shipped frameworks and a stand-in web UI (test/fixtures/standin) for the gateway. */
const catalogDir = mkdtempSync(join(tmpdir(), 'frameworks-'));
cpSync(join(ROOT, 'frameworks'), catalogDir, { recursive: true });
cpSync(join(ROOT, 'test/fixtures/standin'), join(catalogDir, 'standin'), { recursive: true });
const ACCESS_CIDR = '203.0.113.0/24';
/** The artifact mirror, on the port the nodes reach at their own 127.0.0.1 (nodes/ctl): the
 * stand-in's artifact as pinned, and a Disco source that is not the one Disco's manifest pins. */
const MIRROR_PORT = 8079;
const STANDIN_BLOB = Buffer.from("a stand-in artifact, served by the test's mirror\n".repeat(32768));
const mirrored: Record<string, Buffer> = { '/standin/blob-1.bin': STANDIN_BLOB, '/disco/disco-0.5.4.tar.gz': gzipSync('not Disco\n') };
const mirrorGets: string[] = [];
const mirror = createServer((req, res) => {
  mirrorGets.push(req.url ?? '');
  const body = mirrored[req.url ?? ''];
  if (body) res.end(body); else res.writeHead(404).end();
});
const { service } = inProcess({ SM_INSTALL_TIMEOUT_SECONDS: '900', SM_FRAMEWORKS_DIR: catalogDir, SM_ACCESS_CIDR: ACCESS_CIDR,
  SM_MIRROR_URL: `http://127.0.0.1:${MIRROR_PORT}` });
const api = request(service.app);
let runner: RunningSim;
/** The service's own port, for the disco command */
const listening = service.app.listen(0, '127.0.0.1');
const url = () => `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
before(async () => {
  await emptyLane(os.heat);
  await new Promise<void>((r) => mirror.listen(MIRROR_PORT, '127.0.0.1', r));
  runner = await startNodeRunner(['--project', LANE]);
  await service.startWorker();
});
after(async () => {
  listening.closeAllConnections();
  listening.close();
  await service.close();
  await runner?.stop();
  mirror.close();
});

const ACTION_SCALE = 'scale; scheme="http://schemas.cloudcomplab.ch/occi/sm/action#"; class="action"';
const POST_INIT = 'echo "post-init ran on $(hostname)" > /etc/disco-post-init-ran';
/** A team's key (bootstrap.authorized_keys): it opens the login user's account too. */
const teamKey = join(mkdtempSync(join(tmpdir(), 'team-')), 'id');
execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'team@test', '-f', teamKey]);
const teamPub = readFileSync(`${teamKey}.pub`, 'utf8').trim();
/** bootstrap (a package, a post_init, `keys`) and, with `inject`, the stand-in UI */
const bootstrapOnly = (workers: number, postInit: string, title: string, inject = '{}', keys = '') =>
  icclabAttributes(workers, `, icclab.disco.components.bootstrap.packages="hello", icclab.disco.components.bootstrap.post_init=${JSON.stringify(postInit)}, occi.core.title="${title}"` +
    (keys ? `, icclab.disco.components.bootstrap.authorized_keys="${keys}"` : ''))
    .replace(/icclab\.disco\.dependencies\.inject="[^"]*"/, `icclab.disco.dependencies.inject="${inject}"`);

async function create(attrs: string): Promise<string> {
  const r = await api.post('/disco/').set('Category', KIND_CATEGORY).set('Content-Type', 'text/occi').set(headers).set('X-OCCI-Attribute', attrs);
  assert.equal(r.status, 201, r.text);
  return new URL(r.headers.location as string).pathname;
}
const attrsOf = async (path: string) => textAttributes((await api.get(path).set(headers)).text);
async function until(path: string, done: (a: Map<string, string>) => boolean, ms: number): Promise<Map<string, string>> {
  const deadline = Date.now() + ms;
  for (;;) {
    const a = await attrsOf(path);
    if (done(a)) return a;
    if (Date.now() > deadline) throw new Error(`gave up: ${a.get('icclab.disco.state')} ${a.get('icclab.disco.progress')}\n${runner.lines.slice(-20).join('\n')}`);
    await sleep(1000);
  }
}
const settled = (a: Map<string, string>) => ['ready', 'failed'].includes(a.get('icclab.disco.state') ?? '');

const removedNodes = () => runner.lines.filter((l) => l.includes('removed (Nova deleted its server)')).length;

async function remove(path: string): Promise<void> {
  assert.equal((await api.delete(path).set(headers)).status, 200);
  await waitForGone(os.heat, `disco-${path.split('/')[2]}`, 300_000);
}

/** The cluster the tests share (made by the first), its title, and how to reach its master. */
const title = `real-${process.pid}`;
let ok = '';
let login = { key: '', target: '' };
let netOfCluster = 'dnet-none';
const onMaster = (command: string, input?: string) => sshWhenUp(login.key, login.target, command, 60_000, input);
/** A Disco cluster of a master and a worker, made by the first test (its title is not `title`'s). */
const discoTitle = `dsc-${process.pid}`;
let discoCluster = '';

test('a 3-node bootstrap cluster on real nodes: ready once they signalled; ssh, packages, post_init and the cluster key work', { timeout: 900_000 }, async () => {
  ok = await create(bootstrapOnly(2, POST_INIT, title, "{'standin':''}", teamPub));
  const bad = await create(bootstrapOnly(0, 'echo "about to read it"\ncat /no/such/disco-input', `${title}-bad`));
  // booted now beside the others, looked at by the Disco user's test
  discoCluster = await create(`${attributesWith(1, "{'disco':''}")}, occi.core.title="${discoTitle}"`);
  try {
    const a = await until(ok, settled, 840_000);
    assert.equal(a.get('icclab.disco.state'), 'ready', `${a.get('icclab.disco.reason')}: ${a.get('icclab.disco.message')}`);
    // every node's own script signalled each section (nothing else plays this project's nodes)
    const events = (await api.get(`${ok}/events`).set(headers)).body.events as { source: string; node?: string; framework?: string; status?: string }[];
    const signals = events.filter((e) => e.source === 'node' && e.status === 'SUCCESS').map((e) => `${e.node} ${e.framework}`).sort();
    assert.deepEqual(signals, [`${title}-master`, `${title}-worker-0`, `${title}-worker-1`].flatMap((n) => [`${n} bootstrap`, `${n} bootstrap-post`, `${n} standin`]));
    const readyAt = events.filter((e) => e.source === 'service' && (e as { state?: string }).state === 'ready');
    assert.equal(readyAt.length, 1);
    assert.ok(events.indexOf(readyAt[0]!) > Math.max(...events.map((e, i) => (e.source === 'node' ? i : -1))), 'ready comes after the last signal');

    const user = a.get('ssh_user');
    assert.equal(user, 'debian');
    const ip = a.get('external_ip');
    assert.match(ip ?? '', /^\d+\.\d+\.\d+\.\d+$/);
    login = { key: keyFile(a.get('ssh_private_key')!), target: `${user}@${ip}` };
    const master = await onMaster('hostname; dpkg-query -W -f="\\${Status}\\n" hello; cat /etc/disco-post-init-ran; sudo cat /etc/disco-cluster/hosts.d/*');
    assert.equal(master.code, 0, master.stderr);
    const [host, status, ran, ...workers] = master.stdout.trim().split('\n');
    assert.equal(host, `${title}-master`);
    assert.equal(status, 'install ok installed');
    assert.equal(ran, `post-init ran on ${title}-master`);
    assert.deepEqual(workers.map((l) => l.split(' ')[1]).sort(), [`${title}-worker-0`, `${title}-worker-1`]);
    // the disco command's ssh: as the reported user, with the key it fetched, none left behind
    const tmp = mkdtempSync(join(tmpdir(), 'cli-ssh-'));
    mkdirSync(join(tmp, 't'));
    const cli = await discoBin(['ssh', title, '--', 'hostname'], { PATH: process.env.PATH, HOME: tmp, TMPDIR: join(tmp, 't'), ...osEnv(LANE, url()) });
    assert.equal(cli.status, 0, cli.stderr);
    assert.equal(cli.stdout, `${title}-master\n`);
    const keyLine = a.get('ssh_private_key')!.split('\n')[2]!;
    const left = spawnSync('grep', ['-rlsF', '-e', keyLine, tmp], { encoding: 'utf8' }).stdout;
    assert.equal(left, '', `no key file left: ${left}`);
    // from the master, the cluster key (root's) reaches both workers, where the same holds
    for (const line of workers) {
      const [wip, wname] = line.split(' ');
      const w = await onMaster(`sudo ssh -i /root/.ssh/disco_cluster -o BatchMode=yes -o StrictHostKeyChecking=accept-new root@${wip} 'hostname; dpkg-query -W -f="\\\${Status}\\n" hello; cat /etc/disco-post-init-ran'`);
      assert.equal(w.code, 0, w.stderr);
      assert.deepEqual(w.stdout.trim().split('\n'), [wname, 'install ok installed', `post-init ran on ${wname}`]);
    }

    // the team's key opens the login user's account too, on every node
    const team = await sshWhenUp(teamKey, login.target, 'echo team in as $(id -un)');
    assert.equal(team.stdout, `team in as ${user}\n`, team.stderr);
    const keysOnWorkers = await onMaster(`for w in ${workers.map((l) => l.split(' ')[0]).join(' ')}; do
      sudo ssh -i /root/.ssh/disco_cluster -o BatchMode=yes root@$w 'grep -cF team@test ~${user}/.ssh/authorized_keys'; done`);
    assert.equal(keysOnWorkers.stdout, '1\n1\n', keysOnWorkers.stderr);
    // the stand-in artifact: on every node as pinned, downloaded from the mirror once (by the
    // master), the workers' from the master's cache (its nginx logged them)
    const sum = createHash('sha512').update(STANDIN_BLOB).digest('hex');
    assert.equal(sum.slice(0, 16), '2a919bdf3cfdc14b', 'the blob is the one the stand-in manifest pins');
    const blobs = await onMaster(`sha512sum /var/lib/standin-blob | cut -c1-128; for w in ${workers.map((l) => l.split(' ')[0]).join(' ')}; do
      sudo ssh -i /root/.ssh/disco_cluster -o BatchMode=yes -o StrictHostKeyChecking=accept-new root@$w 'sha512sum /var/lib/standin-blob' | cut -c1-128; done
      sudo grep -c 'GET /standin/blob-1.bin HTTP/1.1" 200' /var/log/nginx/access.log`);
    assert.equal(blobs.code, 0, blobs.stderr);
    assert.deepEqual(blobs.stdout.trim().split('\n'), [sum, sum, sum, '2']);
    assert.deepEqual(mirrorGets.filter((g) => g.startsWith('/standin/')), ['/standin/blob-1.bin']);

    const b = await until(bad, settled, 300_000);
    assert.equal(b.get('icclab.disco.state'), 'failed');
    assert.equal(b.get('icclab.disco.reason'), 'BOOTSTRAP_FAILED');
    assert.match(b.get('icclab.disco.message') ?? '', /cat: \/no\/such\/disco-input: No such file or directory/);
  } finally {
    await remove(bad);
  }
  // the node goes with its server
  for (let i = 0; i < 60 && removedNodes() < 1; i++) await sleep(1000);
  assert.equal(removedNodes(), 1, runner.lines.join('\n'));
});

test('secrets only for root: files, the metadata service and the process list are closed to other users', { timeout: 300_000 }, async () => {
  assert.ok(ok, 'the first test made the cluster');
  // what a node holds: the cluster key (root's) and the handle's signal credentials
  const got = await onMaster(`sudo sed -n "/<<'DISCO_SIGNAL_JSON'/{n;p}" /var/lib/cloud/instance/user-data.txt`);
  assert.equal(got.code, 0, got.stderr);
  const signal = JSON.parse(got.stdout) as Record<string, string>;
  assert.ok(signal.password && signal.user_id && signal.alarm_url, got.stdout);
  // HEAT_SIGNAL: credentials to log in with for every signal, never a token that could expire
  assert.equal(signal.token, undefined);
  // the needles (a line of the private key past its common header, the signal password) stay
  // in a root-only file and reach grep on stdin: on a command line they would be in the
  // process list and the journal
  const made = await onMaster('sudo bash -s', `umask 077
sed -n 3p /root/.ssh/disco_cluster > /root/needles
sed -n "/<<'DISCO_SIGNAL_JSON'/{n;p}" /var/lib/cloud/instance/user-data.txt | python3 -c 'import json, sys; print(json.load(sys.stdin)["password"])' >> /root/needles
wc -l < /root/needles
`);
  assert.equal(made.stdout.trim(), '2', made.stderr);
  // no file a non-root user can read holds either (nobody, and the login user itself); root's
  // search, the same command, finds them (it would find what the others could read)
  const search = (who: string) => onMaster(`sudo cat /root/needles | ${who} grep -rlsF -f - / --exclude-dir=proc --exclude-dir=sys --exclude-dir=dev; true`);
  const asRoot = (await search('sudo')).stdout.split('\n');
  assert.ok(asRoot.includes('/root/.ssh/disco_cluster') && asRoot.some((f) => f.endsWith('/user-data.txt')), asRoot.join('\n'));
  for (const who of ['sudo -u nobody', '']) {
    const files = await search(who);
    assert.equal(files.stdout.trim(), '', `${who || 'debian'} reads a secret in: ${files.stdout}`);
  }
  const procs = await onMaster('sudo -u nobody ps -eo args > /tmp/ps-nobody; sudo cat /root/needles | grep -cFf - /tmp/ps-nobody; true');
  assert.equal(procs.stdout.trim(), '0');
  // the metadata service: a stand-in inside the master's namespace serves its user_data
  const master = nodeNamed(`${title}-master`);
  const dir = mkdtempSync(join(tmpdir(), 'metadata-'));
  writeFileSync(join(dir, 'user-data'), 'the user data, secrets and all\n');
  execFileSync('ip', ['netns', 'exec', master.netns, 'ip', 'addr', 'replace', '169.254.169.254/32', 'dev', 'lo']);
  const md = spawn('ip', ['netns', 'exec', master.netns, 'python3', '-m', 'http.server', '80', '--bind', '169.254.169.254', '--directory', dir], { stdio: 'ignore' });
  try {
    const url = 'http://169.254.169.254/user-data';
    const asRoot = await onMaster(`for i in $(seq 1 50); do sudo curl -sf -m 5 ${url} && exit 0; sleep 0.2; done; exit 1`);
    assert.equal(asRoot.stdout, 'the user data, secrets and all\n', asRoot.stderr);
    for (const who of ['sudo -u nobody', '']) {
      const r = await onMaster(`${who} curl -s -m 5 -o /dev/null -w '%{http_code}' ${url}; echo " exit $?"`);
      assert.match(r.stdout, /^000 exit [1-9]/, `${who || 'debian'}: ${r.stdout}`);
    }
  } finally {
    md.kill();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the Disco user\'s own key opens the Disco user\'s account on another node, never root\'s nor the login user\'s', { timeout: 420_000 }, async () => {
  assert.ok(discoCluster, 'the first test made the Disco cluster');
  // the mirror's Disco source is not the one Disco's manifest pins: the master refuses it and
  // the cluster fails naming the artifact, after the disco user, its key pair and the cookie
  // are in place on both nodes (they come first)
  const a = await until(discoCluster, settled, 300_000);
  assert.equal(a.get('icclab.disco.state'), 'failed');
  assert.equal(a.get('icclab.disco.reason'), 'BOOTSTRAP_FAILED');
  assert.match(a.get('icclab.disco.message') ?? '', /failed to install disco: .*artifact disco refused: SHA-512 [0-9a-f]{16}\.\.\. of http:\/\/127\.0\.0\.1:8079\/disco\/disco-0\.5\.4\.tar\.gz, pinned 09b7b5aaad8805ad\.\.\./);
  const master = nodeNamed(`${discoTitle}-master`);
  const worker = nodeNamed(`${discoTitle}-worker-0`);
  const key = keyFile(a.get('ssh_private_key')!);
  const onIt = (command: string) => sshWhenUp(key, `${a.get('ssh_user')}@${master.ip}`, command, 60_000, undefined, master.netns);
  // the worker may still be in its disco section when the master's failure ended the create
  const asDisco = (target: string) => `sudo -u disco ssh -o BatchMode=yes -o ConnectTimeout=5 ${target} whoami; echo "exit $?"`;
  let mine = { code: -1, stdout: '', stderr: '' };
  for (let i = 0; i < 60; i++) {
    mine = await onIt(asDisco(worker.ip));
    if (mine.stdout === 'disco\nexit 0\n') break;
    await sleep(2000);
  }
  assert.equal(mine.stdout, 'disco\nexit 0\n', mine.stderr);
  for (const other of [`root@${worker.ip}`, `${a.get('ssh_user')}@${worker.ip}`]) {
    const r = await onIt(`(${asDisco(other)}) 2>&1`);
    assert.match(r.stdout, /Permission denied \(publickey[^)]*\)\.\r?\nexit 255\n$/, `${other}: ${r.stdout}`);
  }
  const before = removedNodes();
  await remove(discoCluster);
  for (let i = 0; i < 60 && removedNodes() < before + 2; i++) await sleep(1000);
  assert.equal(removedNodes(), before + 2, runner.lines.join('\n'));
});

test('one authenticated door: the gateway serves the UI and the progress pages with the password only, with the certificate GET reports', { timeout: 300_000 }, async () => {
  assert.ok(ok, 'the first test made the cluster');
  const a = await attrsOf(ok);
  const ip = a.get('external_ip')!;
  const fp = a.get('icclab.disco.gateway.fingerprint');
  const pin = a.get('icclab.disco.gateway.pin');
  const password = a.get('icclab.disco.components.bootstrap.gateway_password');
  assert.match(fp ?? '', /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  assert.match(password ?? '', /^[0-9a-f]{32}$/);
  assert.equal(a.get('icclab.disco.gateway.user'), 'disco');
  assert.equal(a.get('icclab.disco.ui.standin'), `https://${ip}:18099/`);
  assert.equal(a.get('icclab.disco.ui.status'), `https://${ip}:8443/`);
  // the certificate served is the one GET names
  const served = await new Promise<string>((resolve, reject) => {
    const s = tlsConnect({ host: ip, port: 18099, rejectUnauthorized: false }, () => { resolve(s.getPeerCertificate().fingerprint256); s.end(); });
    s.on('error', reject);
  });
  assert.equal(served, fp);
  // as a user would: curl pinned to the key GET gave, with and without the password
  const curl = (url: string, user?: string) => execFileSync('curl', ['-s', '-k', '--pinnedpubkey', pin!, '-o', '-', '-w', '\n%{http_code}',
    ...(user ? ['-u', user] : []), url], { encoding: 'utf8' }).split('\n').filter(Boolean);
  assert.deepEqual(curl(`https://${ip}:18099/`, `disco:${password}`), [`the stand-in UI on ${title}-master`, '200']);
  assert.equal(curl(`https://${ip}:18099/`).at(-1), '401');
  assert.equal(curl(`https://${ip}:18099/`, 'disco:wrong').at(-1), '401');
  assert.equal(curl(`https://${ip}:8443/`).at(-1), '401');
  // the progress pages: every node's, its sections and log tail
  for (const n of [`${title}-master`, `${title}-worker-0`, `${title}-worker-1`]) {
    const page = curl(`https://${ip}:8443/${n}.txt`, `disco:${password}`);
    assert.equal(page.at(-1), '200', n);
    assert.ok(page.some((l) => l.startsWith('== bootstrap-post: done')), page.join('\n'));
  }
  // the UI's own port is not open to the outside: the security group opens SSH and the gateway only
  const token = (await os.session.token()).value;
  const neutron = (await os.session.endpoint('network')).replace(/\/+$/, '');
  const groups = await (await fetch(`${neutron}/v2.0/security-groups?name=${encodeURIComponent(`${title}-sg`)}`, { headers: { 'X-Auth-Token': token } })).json() as
    { security_groups: { security_group_rules: { direction: string; remote_ip_prefix: string | null; port_range_min: number | null }[] }[] };
  assert.equal(groups.security_groups.length, 1);
  const open = groups.security_groups[0]!.security_group_rules.filter((r) => r.direction === 'ingress' && r.remote_ip_prefix === ACCESS_CIDR)
    .map((r) => r.port_range_min).sort((x, y) => x! - y!);
  assert.deepEqual(open, [22, 8443, 18099]);
});

test('scale 2 -> 3 -> 1 on real nodes, and a worker restarted is a member again', { timeout: 1_200_000 }, async () => {
  assert.ok(ok, 'the first test made the cluster');
  const scale = (n: number) => api.post(`${ok}?action=scale`).set('Category', ACTION_SCALE).set('Content-Type', 'text/occi').set(headers)
    .set('X-OCCI-Attribute', `icclab.disco.components.heat.slavecount=${n}`);
  const r = await scale(3);
  assert.equal(r.status, 202, r.text);
  let a = await until(ok, (x) => x.get('icclab.disco.state') === 'ready' && x.get('icclab.disco.components.heat.slavecount') === '3', 420_000);
  // the new node's own script signalled both sections before the cluster was ready again
  const events = (await api.get(`${ok}/events`).set(headers)).body.events as { source: string; node?: string; framework?: string; status?: string; state?: string }[];
  const last = (p: (e: typeof events[number]) => boolean) => events.reduce((m, e, i) => (p(e) ? i : m), -1);
  const newSignals = events.filter((e) => e.source === 'node' && e.node === `${title}-worker-2`).map((e) => `${e.framework} ${e.status}`);
  assert.deepEqual(newSignals, ['bootstrap SUCCESS', 'standin SUCCESS', 'bootstrap-post SUCCESS']);
  assert.ok(last((e) => e.source === 'service' && e.state === 'ready') > last((e) => e.node === `${title}-worker-2`), 'ready after the new node signalled');
  const hosts = await onMaster('sudo cat /etc/disco-cluster/hosts.d/*');
  assert.deepEqual(hosts.stdout.trim().split('\n').map((l) => l.split(' ')[1]).sort(), [0, 1, 2].map((i) => `${title}-worker-${i}`));
  // the new worker took the stand-in artifact from the master: the mirror was asked once, at create
  const blob = await onMaster(`sudo grep -c 'GET /standin/blob-1.bin HTTP/1.1" 200' /var/log/nginx/access.log`);
  assert.equal(blob.stdout.trim(), '3');
  assert.equal(mirrorGets.filter((g) => g.startsWith('/standin/')).length, 1);

  assert.equal((await scale(1)).status, 202);
  a = await until(ok, (x) => x.get('icclab.disco.state') === 'ready' && x.get('icclab.disco.components.heat.slavecount') === '1', 420_000);
  assert.equal(a.get('icclab.disco.state'), 'ready');
  // the removed nodes are gone from the bridge: the master's and worker-0's ports are left
  for (let i = 0; i < 60 && nodeDirs().filter((d) => d.name.startsWith(title)).length > 2; i++) await sleep(1000);
  const left = nodeDirs().filter((d) => d.name.startsWith(title));
  netOfCluster = left[0]!.netNetns;
  assert.deepEqual(left.map((d) => d.name).sort(), [`${title}-master`, `${title}-worker-0`]);
  const ports = execFileSync('ip', ['-n', left[0]!.netNetns, '-o', 'link', 'show', 'master', 'br0'], { encoding: 'utf8' })
    .split('\n').filter(Boolean).map((l) => l.split(':')[1]!.trim().split('@')[0]);
  assert.deepEqual(ports.sort(), left.map((d) => `dv-${d.id.slice(0, 8)}`).sort());

  // worker-0 restarted: it comes back, its script does not run again, and the master reaches it
  const w0 = nodeNamed(`${title}-worker-0`);
  const onW0 = (cmd: string) => onMaster(`sudo ssh -i /root/.ssh/disco_cluster -o BatchMode=yes -o StrictHostKeyChecking=accept-new -o ConnectTimeout=5 root@${w0.ip} '${cmd}'`);
  const bootBefore = (await onW0('cat /proc/sys/kernel/random/boot_id; grep -c "== bootstrap: start" /var/log/disco-bootstrap.log')).stdout.trim().split('\n');
  assert.equal(bootBefore[1], '1');
  execFileSync(join(ROOT, 'scripts/local-cloud/nodes/ctl'), ['node-reboot', w0.id]);
  let after: string[] = [];
  for (let i = 0; i < 120; i++) {
    after = (await onW0('cat /proc/sys/kernel/random/boot_id; grep -c "== bootstrap: start" /var/log/disco-bootstrap.log; systemctl is-system-running --wait')).stdout.trim().split('\n');
    if (after[0] && after[0] !== bootBefore[0] && after[2]) break;
    await sleep(1000);
  }
  assert.notEqual(after[0], bootBefore[0], 'worker-0 rebooted');
  assert.deepEqual(after.slice(1), ['1', 'running'], 'healthy, bootstrap not run twice');
  a = await attrsOf(ok);
  assert.equal(a.get('icclab.disco.state'), 'ready');
});

test('the nodes go with the cluster', { timeout: 1_200_000 }, async () => {
  assert.ok(ok, 'the first test made the cluster');
  const before = removedNodes();
  await remove(ok);
  for (let i = 0; i < 60 && removedNodes() < before + 2; i++) await sleep(1000);
  assert.equal(removedNodes(), before + 2, runner.lines.join('\n'));
  assert.deepEqual(nodeDirs().filter((d) => d.name.startsWith(title)), []);
  // and the cluster network's namespace with its bridge, when no node is left on it
  const nets = () => execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' });
  for (let i = 0; i < 30 && nets().includes(netOfCluster); i++) await sleep(1000);
  assert.ok(!nets().includes(netOfCluster), nets());
});
