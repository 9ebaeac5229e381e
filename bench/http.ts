// The HTTP figures of one mode (embedded or production): POST create latencies with 10,
// 1,000 and 10,000 clusters in the project, then GET /disco/<id> of the 10,000 through the
// service against the bare handler (alternating, same process, same store), and the
// server's RSS. The stored clusters are ready ones (a stack id each), as a project's are
// once made; the POSTed ones stay pending (no worker runs), the worse case for admission.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import type { ClusterStore } from '../src/store/cluster-store.js';
import { openSecrets, sealSecrets } from '../src/clusters/secrets.js';
import { SecretBox } from '../src/crypto/secret-box.js';
import { quantiles } from './quantiles.js';

export interface HttpFigures {
  /** GET of 50 clusters over and over (pollers): kept answers serve most. */
  getOurs: number; getBare: number;
  /** The same with no answer kept (SM_ANSWER_CACHE_SIZE=0): every GET opens and renders. */
  getOursCold: number; getBareCold: number;
  rssMb: number;
  /** POST create latencies, ms, by the number of clusters in the project when they began. */
  post: { clusters: number; p50: number; p99: number; keystone: { p50: number; p99: number } }[];
}

const LEVELS = [10, 1_000, 10_000];
const POSTS = 220; // the first 20 warm up; p99 is then the 2nd slowest of 200

const ROOT = new URL('../', import.meta.url).pathname;

async function startServer(env: Record<string, string>): Promise<{ api: string; bare: string; admin: string; stop(): Promise<void> }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'bench/server.ts'], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: proc.stdout! }).once('line', resolve);
    proc.once('exit', (c) => reject(new Error(`bench server exited with ${c}`)));
  });
  const ports = JSON.parse(line) as { api: number; bare: number; admin: number };
  const exited = new Promise((r) => proc.once('exit', r));
  return { api: `http://127.0.0.1:${ports.api}`, bare: `http://127.0.0.1:${ports.bare}`, admin: `http://127.0.0.1:${ports.admin}`, async stop() { proc.kill('SIGTERM'); await exited; } };
}

async function rate(url: string, paths: string[], headers: Record<string, string>, seconds: number): Promise<number> {
  const r = await autocannon({ url, connections: 16, duration: seconds, headers, requests: paths.map((path) => ({ method: 'GET', path, headers })) });
  if (r.non2xx || r.errors) {
    const probe = await fetch(`${url}${paths[0]}`, { headers });
    throw new Error(`${url}: ${r.non2xx} non-2xx answers (${JSON.stringify(r.statusCodeStats)}), ${r.errors} errors; e.g. ${probe.status} ${(await probe.text()).slice(0, 200)}`);
  }
  return r.requests.average;
}

/** `validate`: one Keystone validation of the token, timed before each POST, so that the POSTs'
 * Keystone time and the bound it is held to see the same machine (measured: a separate run of
 * 200 validations before the POSTs gave p99s 5-10 ms apart from one minute to the next). */
export async function measureHttp(o: { env: Record<string, string>; token: string; openStore(): ClusterStore; attrs: string; category: string;
  validate(): Promise<unknown> }): Promise<HttpFigures> {
  const server = await startServer(o.env);
  const servers = [server];
  const store = o.openStore();
  const auth = { 'X-Auth-Token': o.token };
  const createOne = () => fetch(`${server.api}/disco/`, { method: 'POST', headers: { ...auth, Category: o.category, 'Content-Type': 'text/occi', 'X-OCCI-Attribute': o.attrs } });
  try {
    const firstAt = await createOne();
    if (firstAt.status !== 201) throw new Error(`POST: ${firstAt.status} ${await firstAt.text()}`);
    const first = (await store.get(new URL(firstAt.headers.get('location')!).pathname.split('/')[2]!))!;
    const template = { ...first, state: 'ready' as const, stackId: 'bench-stack', createSentAt: null };
    const box = new SecretBox(Buffer.from(o.env.SM_SECRET_KEY!, 'base64'));
    const secrets = openSecrets(box, template);
    const ids: string[] = [template.id];
    const fillTo = async (n: number) => {
      while (ids.length < n) {
        const batch = Array.from({ length: Math.min(500, n - ids.length) }, () => randomUUID());
        // a day old, a millisecond apart: made long before any headroom admission reads
        const at = Date.parse(template.createdAt) - 86_400_000 + ids.length;
        // secrets are sealed to their record's id: each copy gets its own sealing
        await Promise.all(batch.map((id, k) => store.create({ ...template, id, stackName: `disco-${id}`, createdAt: new Date(at + k).toISOString(),
          sealedSecrets: sealSecrets(box, id, secrets) })));
        ids.push(...batch);
      }
    };
    const post: HttpFigures['post'] = [];
    for (const level of LEVELS) {
      await fillTo(level);
      const times: number[] = [];
      const keystone: number[] = [];
      for (let i = 0; i < POSTS; i++) {
        const v = performance.now();
        await o.validate();
        if (i >= 20) keystone.push(performance.now() - v);
        const t = performance.now();
        const r = await createOne();
        const took = performance.now() - t;
        if (r.status !== 201) throw new Error(`POST: ${r.status} ${await r.text()}`);
        await r.arrayBuffer();
        ids.push(new URL(r.headers.get('location')!).pathname.split('/')[2]!); // counted in the next level
        if (i >= 20) times.push(took);
      }
      post.push({ clusters: level, ...quantiles(times), keystone: quantiles(keystone) });
    }
    const paths = ids.filter((_, i) => i % 200 === 0).map((id) => `/disco/${id}`);
    const [ours, bare] = await rounds(server, paths, auth);
    // the list's first page (1,000 of the 10,000) once, then the resident memory
    const list = await fetch(`${server.api}/disco/`, { headers: auth });
    if (list.status !== 200) throw new Error(`GET /disco/: ${list.status}`);
    await list.text();
    const metrics = await (await fetch(`${server.admin}/metrics`)).text();
    const rss = Number(/^disco_sm_process_resident_memory_bytes\{[^}]*\} (\d+)/m.exec(metrics)![1]);
    await server.stop();
    // the same store served again, keeping no answer
    const cold = await startServer({ ...o.env, SM_ANSWER_CACHE_SIZE: '0' });
    servers.push(cold);
    const [oursCold, bareCold] = await rounds(cold, paths, auth);
    return { getOurs: ours, getBare: bare, getOursCold: oursCold, getBareCold: bareCold, rssMb: rss / 2 ** 20,
      post };
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    await store.close();
  }
}

/** Mean req/s of ours and of the bare handler: a warm-up, then two rounds of 5 s each, alternating. */
async function rounds(server: { api: string; bare: string }, paths: string[], auth: Record<string, string>): Promise<[number, number]> {
  await rate(server.bare, paths, {}, 1);
  await rate(server.api, paths, auth, 1);
  let ours = 0; let bare = 0;
  for (let round = 0; round < 2; round++) {
    bare += await rate(server.bare, paths, {}, 5);
    ours += await rate(server.api, paths, auth, 5);
  }
  return [ours / 2, bare / 2];
}
