// The event loop under the fuzz test's load (test/helpers/fuzz-run.ts): the same generated
// and mutated requests, the client in a worker thread, the service in this process. Its
// delay is a figure here and never a timed assertion in a test: on a shared 2-core machine
// a 100 ms limit in a test flakes.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fuzzClient, fuzzTarget } from '../test/helpers/fuzz-run.js';

export async function measureFuzzLoad(total = Number(process.env.SM_BENCH_FUZZ_REQUESTS ?? 30_000)): Promise<{ total: number; seconds: number; maxMs: number; p99Ms: number }> {
  const t = await fuzzTarget('bench');
  try {
    const seed = 4242;
    await fuzzClient({ ...t.job, seed, total: 300, raw: 20 }); // warm up: compilation, caches
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const r = await fuzzClient({ ...t.job, seed, total, raw: Math.ceil(total / 50) });
    delay.disable();
    if (r.bad.length) throw new Error(`the fuzz load had bad answers: ${r.bad.slice(0, 3).join('; ')}`);
    return { total, seconds: r.seconds, maxMs: delay.max / 1e6, p99Ms: delay.percentile(99) / 1e6 };
  } finally { await t.close(); }
}
