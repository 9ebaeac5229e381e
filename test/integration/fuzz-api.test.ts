// The API under generated and mutated requests, through the real HTTP stack, with the
// local cloud's Keystone: grammar-based OCCI headers, text and JSON bodies, mutations of
// the ICCLab request, oversized and deeply nested values, odd bytes and encodings,
// authenticated and not. What cannot flake is asserted: no 5xx, no crash, every request
// answered or cut off within its limits (a connection reset only where the request was over
// the body or header limit), memory back to its baseline at the end. The event loop's delay
// under this load is a figure of the bench (bench/fuzz-load.ts), never a timed assertion.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { fuzzClient, fuzzTarget, heapAfterGc, type FuzzTarget } from '../helpers/fuzz-run.js';

const TOTAL = Number(process.env.SM_FUZZ_REQUESTS ?? 40_000);
const RAW = Math.ceil(TOTAL / 50); // of them, sent as raw bytes (control bytes, broken framing)

let t: FuzzTarget;
before(async () => { t = await fuzzTarget(); });
after(async () => { await t.close(); });

test(`${TOTAL} generated requests: no 5xx, no crash, every reset explained by its request, memory back to baseline`, { timeout: 600_000 }, async () => {
  const seed = Number(process.env.SM_FUZZ_SEED ?? Date.now() % 1_000_000);
  await fuzzClient({ ...t.job, seed, total: 300, raw: 20 }); // warm up: compilation, caches
  t.log.lines = 0;
  const baseline = heapAfterGc();
  const r = await fuzzClient({ ...t.job, seed, total: TOTAL, raw: RAW });
  const heap = heapAfterGc();
  process.stdout.write(`fuzz: ${r.sent} requests (${RAW} raw) in ${r.seconds.toFixed(1)} s, seed ${seed}; statuses ${JSON.stringify(r.statuses)}; ` +
    `${r.resets} connection resets, each over a limit; heap ${(baseline / 2 ** 20).toFixed(1)} MB before, ${(heap / 2 ** 20).toFixed(1)} MB after; ${t.log.lines} log lines\n`);
  assert.equal(r.sent, TOTAL);
  assert.ok(t.log.lines >= TOTAL / 2, `${t.log.lines} log lines`);
  assert.deepEqual(t.log.broken, [], 'every log line is JSON');
  assert.deepEqual(r.bad.slice(0, 20), [], `seed ${seed}`);
  assert.ok(heap - baseline < 16 * 2 ** 20, `heap grew from ${baseline} to ${heap} bytes`);
  // the service still answers, and still knows its cluster
  // (127.0.0.1 is past the failed-login limit by now: the record is read from the store)
  assert.equal((await fetch(`${t.job.url}/healthz`)).status, 200);
  assert.ok(await t.service.store.get(t.job.existing));
});
