// npm run bench: every figure measured in this one run on this machine, then one summary
// line. GET is a ratio: the service against a bare express handler reading the same store,
// 50 clusters read over and over as pollers do, in both modes (the worse mode counts); the
// ratio with no answer kept (every GET renders) is printed beside it. POST p99 and RSS are
// the worse of the two modes.
import { randomBytes, randomUUID } from 'node:crypto';
import { cpus, totalmem } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RedisClusterStore } from '../src/store/redis-store.js';
import { SqliteClusterStore } from '../src/store/sqlite-store.js';
import { cloud } from '../test/helpers/cloud.js';
import { startRedis } from '../test/helpers/redis.js';
import { icclabAttributes, KIND_CATEGORY, testEnv } from '../test/helpers/service.js';
import { measureHttp, type HttpFigures } from './http.js';
import { measurePropagation } from './propagation.js';
import { measureRealNodes } from './real-nodes.js';
import { measureRender } from './render.js';
import { measureDashboard } from './dashboard.js';
import { measureKeystone } from './keystone.js';
import { measureFuzzLoad } from './fuzz-load.js';

const f1 = (n: number) => n.toFixed(1);
const line = (s: string) => process.stdout.write(`${s}\n`);

async function main(): Promise<void> {
  line(`machine: ${cpus().length} x ${cpus()[0]?.model ?? '?'}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}`);
  const render = measureRender();
  line(`render 5 frameworks x 200 workers (${render.frameworks.join(', ')}): median ${render.medianMs.toFixed(2)} ms, p99 ${render.p99Ms.toFixed(2)} ms`);

  const bench = cloud('bench');
  const token = (await bench.session.token()).value;
  const keystone = await measureKeystone(bench, token);
  line(`Keystone token validation (the bench user's own token, ${keystone.n} in a row): p50 ${f1(keystone.p50)} ms, p99 ${f1(keystone.p99)} ms`);
  const redis = await startRedis();
  const figures: Record<string, HttpFigures> = {};
  try {
    const attrs = `${icclabAttributes(1)}, occi.core.title="bench"`;
    const key = randomBytes(32).toString('base64');
    for (const mode of ['embedded', 'production'] as const) {
      const dir = mkdtempSync(join(tmpdir(), 'sm-bench-'));
      const prefix = `b${randomUUID().slice(0, 8)}`;
      const env = testEnv({ SM_DATA_DIR: dir, SM_SECRET_KEY: key, SM_ROLE: mode === 'production' ? 'api' : 'all', SM_LOG_LEVEL: 'warn', SM_MAX_CLUSTERS_PER_PROJECT: '100000', // 10,000 in one project: far past the default cap
        SM_QUEUE_SWEEP_SECONDS: '0', ...(mode === 'production' ? { SM_REDIS_URL: redis.url, SM_REDIS_PREFIX: prefix } : {}) });
      try {
        // embedded: role all would start a worker; the bench server starts none, so nothing reaches the cloud
        figures[mode] = await measureHttp({ env, token, attrs, category: KIND_CATEGORY, validate: () => bench.keystone.validateToken(token),
          openStore: () => (mode === 'production' ? new RedisClusterStore(redis.url, prefix) : new SqliteClusterStore(dir)) });
      } finally { rmSync(dir, { recursive: true, force: true }); }
      const f = figures[mode]!;
      line(`${mode} (10,000 clusters): GET ${Math.round(f.getOurs)} req/s vs bare express ${Math.round(f.getBare)} req/s = ${(f.getOurs / f.getBare).toFixed(2)} ` +
        `(no answer kept: ${Math.round(f.getOursCold)} vs ${Math.round(f.getBareCold)} = ${(f.getOursCold / f.getBareCold).toFixed(2)}); RSS ${Math.round(f.rssMb)} MB`);
      const [few, , many] = f.post;
      line(`${mode} POST create: ${f.post.map((x) => `${x.clusters.toLocaleString('en')} clusters p50 ${f1(x.p50)} ms, p99 ${f1(x.p99)} ms`).join('; ')}; ` +
        `Keystone validations between them (at 10,000) p50 ${f1(many!.keystone.p50)} ms, p99 ${f1(many!.keystone.p99)} ms; ` +
        `p99 at 10,000 - Keystone validation p99 = ${f1(many!.p99 - many!.keystone.p99)} ms (target <= 10), p50 10,000 / 10 = ${(many!.p50 / few!.p50).toFixed(2)} (target <= 1.2)`);
    }
  } finally { await redis.stop(); }

  const fuzz = await measureFuzzLoad();
  line(`event loop under the fuzz load (${fuzz.total.toLocaleString('en')} generated requests in ${f1(fuzz.seconds)} s): max ${f1(fuzz.maxMs)} ms (target < 100), p99 ${f1(fuzz.p99Ms)} ms (target < 30)`);
  const dash = await measureDashboard();
  line(`dashboard, 1,000 clusters in real Chromium: listed ${Math.round(dash.listMs)} ms after opening the page (target < 1000 ms); first load ${f1(dash.assetKb)} KB ` +
    `of page, code and styles (target < 300 KB), then ${Math.round(dash.dataKb)} KB of cluster data from the change stream, ${Math.round(dash.wireKb)} KB on the wire ` +
    `(${(1537 / dash.wireKb).toFixed(1)}x fewer than the 1,537 KB of e7b5a70; target >= 5x)`);
  const p = await measurePropagation();
  line(`state propagation (Heat -> record, default polling): create ${(p.createMs / 1000).toFixed(1)} s, delete ${(p.deleteMs / 1000).toFixed(1)} s`);
  const n = await measureRealNodes();
  line(`POST to ready, master + 2 workers, bootstrap only: real nodes ${f1(n.realMs / 1000)} s, node-sim ${f1(n.simMs / 1000)} s (${(n.realMs / n.simMs).toFixed(2)} x)`);

  const all = Object.values(figures);
  const ratio = Math.min(...all.map((f) => f.getOurs / f.getBare));
  const p99 = Math.max(...all.map((f) => f.post.at(-1)!.p99));
  const rss = Math.max(...all.map((f) => f.rssMb));
  line(`bench: get_ratio=${ratio.toFixed(2)} post_p99_ms=${f1(p99)} render_ms=${render.medianMs.toFixed(1)} rss_mb=${Math.round(rss)} real_ready_s=${f1(n.realMs / 1000)} sim_ready_s=${f1(n.simMs / 1000)} dashboard_list_ms=${Math.round(dash.listMs)} dashboard_load_kb=${f1(dash.assetKb)} dashboard_stream_wire_kb=${Math.round(dash.wireKb)} loop_max_ms=${f1(fuzz.maxMs)} loop_p99_ms=${f1(fuzz.p99Ms)}`);
}

main().then(() => process.exit(0), (e: unknown) => { process.stderr.write(`bench failed: ${(e as Error).stack ?? String(e)}\n`); process.exit(1); });
