// The Dockerfile, built and run with Debian's podman (as root, runc, the network through
// slirp4netns) FROM a base image made here (test/fixtures/image/base.sh: no registry but npm's
// is reachable): the container runs as a non-root user, answers /-/ on its published port, makes
// a cluster on the local cloud through it, and a new container on the same volume still has it
// (SQLite and the generated data under /data); the cluster is then deleted through it.
// The local cloud listens on 127.0.0.1: the container reaches it as 10.0.2.2 (slirp4netns's
// host loopback), with SM_ENDPOINT_OVERRIDES in place of the catalog's 127.0.0.1 URLs.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, test } from 'node:test';
import { sh } from '../helpers/cli.js';
import { cloud, cloudEnv } from '../helpers/cloud.js';
import { emptyLane } from '../helpers/heat.js';
import { inTurn } from '../helpers/port-8888.js';
import { masterOnlyAttributes, KIND_CATEGORY, passwordHeaders, ROOT, textAttributes } from '../helpers/service.js';

const LANE = 'image';
const BASE_SCRIPT = join(ROOT, 'test/fixtures/image/base.sh');
/** The base is kept per machine: a new one when its script or this machine's Node.js changes. */
const BASE = `localhost/disco-test-base:${createHash('sha256').update(readFileSync(BASE_SCRIPT)).update(process.version).digest('hex').slice(0, 12)}`;
const IMAGE = `localhost/disco-sm:test-${process.pid}`;
const VOLUME = `disco-sm-test-${process.pid}`;
const HOST = '10.0.2.2';
// runc: crun refuses this machine's hybrid cgroups; limits no higher than the machine's own (no CAP_SYS_RESOURCE here)
const RUNTIME = ['--runtime', 'runc'];
const LIMITS = ['--ulimit', 'nofile=10000:10000', '--ulimit', 'nproc=10000:10000'];
const containers: string[] = [];

async function podman(args: string[], timeoutMs = 120_000): Promise<string> {
  const r = await sh('podman', [...RUNTIME, ...args], { cwd: ROOT, env: process.env, timeoutMs });
  if (r.status !== 0) throw new Error(`podman ${args.join(' ')}: exit ${r.status}\n${r.stdout.slice(-2000)}${r.stderr.slice(-2000)}`);
  return r.stdout.trim();
}

after(async () => {
  for (const c of containers) await podman(['rm', '-f', '-t', '5', c]).catch(() => undefined);
  await podman(['volume', 'rm', '-f', VOLUME]).catch(() => undefined);
  await podman(['rmi', '-f', IMAGE]).catch(() => undefined);
});

/** Until `ok` answers something, polling every half second; the last failure is the error. */
async function until<T>(what: string, timeoutMs: number, ok: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try { const v = await ok(); if (v !== undefined) return v; } catch (e) { last = String(e); }
    await sleep(500);
  }
  throw new Error(`${what}: not within ${timeoutMs / 1000} s ${last}`);
}

/** The local cloud's endpoints as the container reaches them, from the catalog a login gives. */
async function overrides(): Promise<string> {
  const token = await cloud(LANE).session.token();
  const pid = token.project!.id;
  return ['orchestration', 'compute', 'network', 'image'].map((type) => {
    const ep = token.catalog.find((c) => c.type === type)!.endpoints.find((e) => e.interface === 'public')!;
    return `${type}=${ep.url.replace('127.0.0.1', HOST).replace(pid, '%(project_id)s')}`;
  }).join(',');
}

async function runContainer(name: string, env: Record<string, string>): Promise<string> {
  containers.push(name);
  await podman(['run', '-d', '--name', name, ...LIMITS, '--network', 'slirp4netns:allow_host_loopback=true',
    '-p', '127.0.0.1::8888', '-v', `${VOLUME}:/data`, ...Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]), IMAGE]);
  const port = (await podman(['port', name, '8888'])).split(':').pop();
  const url = `http://127.0.0.1:${port}`;
  await until(`${name} answering /-/ on ${url}`, 60_000, async () => ((await fetch(`${url}/-/`)).status === 200 ? true : undefined));
  return url;
}

test('the image: built FROM a local base, non-root, /-/ on its published port, a cluster made through it and kept in its volume across a new container', { timeout: 1_200_000 }, async () => {
  const heat = cloud(LANE).heat;
  await emptyLane(heat);
  const t0 = Date.now();
  const base = await sh(BASE_SCRIPT, [BASE], { cwd: ROOT, env: process.env, timeoutMs: 600_000 });
  assert.equal(base.status, 0, `${base.stdout}${base.stderr}`);
  const t1 = Date.now();
  await podman(['build', '--network', 'host', ...LIMITS, '--build-arg', `BASE=${BASE}`, '-t', IMAGE, '.'], 900_000);
  const t2 = Date.now();
  const size = Number(await podman(['image', 'inspect', '--format', '{{.Size}}', IMAGE]));
  process.stdout.write(`# image: base ${((t1 - t0) / 1000).toFixed(0)} s (kept once made), build ${((t2 - t1) / 1000).toFixed(0)} s, size ${(size / 1e6).toFixed(0)} MB\n`);

  assert.equal(await podman(['image', 'inspect', '--format', '{{.Config.User}}', IMAGE]), 'disco');
  assert.equal(await podman(['run', '--rm', ...LIMITS, '--network', 'none', IMAGE, 'id', '-u']), '10001', 'not root');

  const e = cloudEnv();
  const env = {
    SM_SECRET_KEY: randomBytes(32).toString('base64'), SM_KEYSTONE_URL: e.OS_AUTH_URL.replace('127.0.0.1', HOST),
    SM_ENDPOINT_OVERRIDES: await overrides(), SM_EXTERNAL_NETWORK: e.LOCAL_CLOUD_EXTERNAL_NETWORK,
    SM_MASTER_FLAVOR: e.LOCAL_CLOUD_FLAVOR, SM_WORKER_FLAVOR: e.LOCAL_CLOUD_FLAVOR, SM_MASTER_IMAGE: e.LOCAL_CLOUD_IMAGE, SM_WORKER_IMAGE: e.LOCAL_CLOUD_IMAGE,
    SM_POLL_INITIAL_MS: '500', SM_POLL_MAX_MS: '3000',
  };
  let url = await runContainer(`disco-sm-test-${process.pid}-a`, env);
  const made = await fetch(`${url}/disco/`, { method: 'POST', headers: { Category: KIND_CATEGORY, 'Content-Type': 'text/occi', ...passwordHeaders(LANE),
    'X-OCCI-Attribute': `${masterOnlyAttributes()}, occi.core.title="image-${process.pid}"` } });
  assert.equal(made.status, 201, await made.text());
  const path = new URL(made.headers.get('location')!).pathname;
  const get = async () => {
    const r = await fetch(`${url}${path}`, { headers: { ...passwordHeaders(LANE), Accept: 'text/plain' } });
    return r.status === 200 ? textAttributes(await r.text()) : undefined;
  };
  // the container's reconciler made the stack, on the local cloud
  const stack = await until('the stack in Heat', 300_000, async () => (await heat.listStacks()).find((s) => s.status !== 'DELETE_COMPLETE'));
  assert.equal(stack.name, `disco-${path.split('/').pop()}`, 'the stack is the cluster\'s');

  // a new container on the same volume: the record (and the key it generated nothing of: the same SM_SECRET_KEY) is there
  await podman(['rm', '-f', '-t', '10', containers[0]!]);
  url = await runContainer(`disco-sm-test-${process.pid}-b`, env);
  const kept = await get();
  assert.ok(kept, 'the cluster is still there');
  assert.equal(kept.get('occi.core.title'), `image-${process.pid}`);

  const del = await fetch(`${url}${path}`, { method: 'DELETE', headers: passwordHeaders(LANE) });
  assert.equal(del.status, 200, await del.text());
  await until('the stack gone', 300_000, async () => ((await heat.listStacks()).every((s) => s.status === 'DELETE_COMPLETE') ? true : undefined));
  await until('the cluster deleted', 60_000, async () => {
    const r = await fetch(`${url}${path}`, { headers: passwordHeaders(LANE) });
    return r.status === 404 || (r.status === 200 && /icclab\.disco\.state="deleted"/.test(await r.text())) ? true : undefined;
  });
});

/** What the README's podman lines name: the public base, and the image, container and volume they make. */
const PUBLIC_BASE = 'docker.io/library/node:20-bookworm-slim';
const snippetLeftovers = async () => {
  await podman(['rm', '-f', '-t', '5', 'disco-sm']).catch(() => undefined);
  await podman(['volume', 'rm', '-f', 'disco-data']).catch(() => undefined);
  await podman(['rmi', '-f', 'localhost/disco-sm:latest']).catch(() => undefined);
};

// As written, but for this machine: the public base is stood in for by the local one (tagged
// as it, untagged after), and podman's configuration (CONTAINERS_CONF, not the commands) asks
// for runc, slirp4netns and ulimits this machine allows, as the options of the test above do.
// The lines use the fixed names and port 8888 a reader would: they take port 8888 in turn with
// the walk-throughs, and what they made is removed before and after.
test("the README's podman lines, as written: build, volume, run, and /-/ answering on port 8888", { timeout: 900_000 }, async () => {
  const block = /<!-- image:start -->\n```sh\n([\s\S]*?)```\n<!-- image:end -->/.exec(readFileSync(join(ROOT, 'README.md'), 'utf8'));
  assert.ok(block, 'the README has the podman lines');
  const base = await sh(BASE_SCRIPT, [BASE], { cwd: ROOT, env: process.env, timeoutMs: 600_000 });
  assert.equal(base.status, 0, `${base.stdout}${base.stderr}`);
  const had = (await sh('podman', ['image', 'exists', PUBLIC_BASE], { cwd: ROOT, env: process.env, timeoutMs: 60_000 })).status === 0;
  if (!had) await podman(['tag', BASE, PUBLIC_BASE]);
  const conf = join(mkdtempSync(join(tmpdir(), 'podman-conf-')), 'containers.conf');
  writeFileSync(conf, ['[containers]', 'netns = "slirp4netns"', 'default_ulimits = ["nofile=10000:10000", "nproc=10000:10000"]',
    '[engine]', 'runtime = "runc"', ''].join('\n'));
  await snippetLeftovers();
  try {
    // bash -eu as a reader's shell runs them (no pipefail: head closes curl's pipe on purpose)
    const r = await sh(...inTurn('bash', ['-eu', '-c', block[1]!]), { cwd: ROOT, env: { ...process.env, CONTAINERS_CONF: conf }, timeoutMs: 840_000 });
    assert.equal(r.status, 0, `${r.stdout.slice(-2000)}${r.stderr.slice(-2000)}`);
    assert.match(r.stdout, /^Category: entity; scheme="http:\/\/schemas\.ogf\.org\/occi\/core#"; class="kind"/m, r.stdout.slice(-2000));
    assert.equal(await podman(['inspect', '--format', '{{.Config.User}}|{{.State.Running}}', 'disco-sm']), 'disco|true');
    assert.deepEqual(JSON.parse(await podman(['inspect', '--format', '{{json .Mounts}}', 'disco-sm'])).map((x: { Name?: string; Destination: string }) => `${x.Name}:${x.Destination}`), ['disco-data:/data']);
  } finally {
    await snippetLeftovers();
    if (!had) await podman(['untag', BASE, PUBLIC_BASE]).catch(() => undefined);
  }
});
