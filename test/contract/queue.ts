// The JobQueue contract: the same tests for every adapter (in-process, BullMQ). `open`
// gives a queue on a fresh backing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { JobHandler, JobQueue } from '../../src/queue/job-queue.js';

export interface QueueOptions { maxAttempts?: number; concurrency?: number; lockMs?: number; stalledIntervalMs?: number; leaseGraceMs?: number }
/** `peer` opens another worker on the same backing, where the adapter has several (BullMQ). */
export type OpenQueue = (o?: QueueOptions) => Promise<{ queue: JobQueue; peer?: () => JobQueue; cleanup(): Promise<void> }>;

/** Blocks the event loop, as a CPU-starved or paused process does. */
function stall(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end) { /* busy */ }
}

async function until(what: string, f: () => boolean | Promise<boolean>, ms = 8000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await f())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** A handler that records runs and checks that one id never runs twice at once. */
function recorder(behave: (id: string, run: number) => Promise<{ requeueAfterMs?: number }> | { requeueAfterMs?: number } = () => ({})) {
  const runs: { id: string; at: number }[] = [];
  const ended: string[] = [];
  const active = new Set<string>();
  let overlap = '';
  const handler: JobHandler = async (id) => {
    if (active.has(id)) overlap = id;
    active.add(id);
    const n = runs.filter((r) => r.id === id).length + 1;
    runs.push({ id, at: Date.now() });
    try { await sleep(30); return await behave(id, n); } finally { active.delete(id); ended.push(id); }
  };
  return { handler, runs, count: (id: string) => runs.filter((r) => r.id === id).length, ended: (id: string) => ended.filter((x) => x === id).length, overlap: () => overlap };
}

export function queueContract(name: string, open: OpenQueue): void {
  const withQueue = (title: string, f: (q: JobQueue) => Promise<void>, o?: QueueOptions) => test(`${name} queue: ${title}`, async () => {
    const { queue, cleanup } = await open(o);
    try { await f(queue); } finally { await queue.close(); await cleanup(); }
  });

  withQueue('a job runs; requests for a waiting job are one run', async (q) => {
    const r = recorder();
    await q.enqueue('x', 300);
    await q.enqueue('x', 300);
    await q.enqueue('x', 400);
    q.process(r.handler);
    await until('x ran', () => r.count('x') === 1);
    await sleep(600);
    assert.equal(r.count('x'), 1);
  });

  withQueue('a sooner request wins over a later one, never the other way round', async (q) => {
    const r = recorder();
    q.process(r.handler);
    const t0 = Date.now();
    await q.enqueue('soon', 10_000);
    await q.enqueue('soon', 0);
    await q.enqueue('late', 200);
    await q.enqueue('late', 10_000);
    await until('both ran', () => r.count('soon') === 1 && r.count('late') === 1, 3000);
    assert.ok(r.runs.find((x) => x.id === 'soon')!.at - t0 < 1500);
    assert.ok(r.runs.find((x) => x.id === 'late')!.at - t0 >= 190);
  });

  withQueue('a run that asks to come back comes back after its delay', async (q) => {
    const r = recorder((_id, n) => (n < 3 ? { requeueAfterMs: 150 } : {}));
    q.process(r.handler);
    await q.enqueue('a');
    await until('three runs', () => r.count('a') === 3);
    const [first, , third] = r.runs.map((x) => x.at);
    assert.ok(third! - first! >= 2 * 150, 'each comeback waited its delay');
    await sleep(400);
    assert.equal(r.count('a'), 3, 'no run after the last one asked for none');
  });

  withQueue('a request made while the job runs is served right after it, never at the same time', async (q) => {
    const r = recorder(async (id, n) => {
      if (n === 1) await Promise.all(Array.from({ length: 5 }, () => q.enqueue(id)));
      return {};
    });
    q.process(r.handler);
    await q.enqueue('d');
    await q.enqueue('e');
    await until('two runs each', () => r.count('d') === 2 && r.count('e') === 2);
    await sleep(300);
    assert.equal(r.count('d'), 2);
    assert.equal(r.overlap(), '', 'never two runs of one id at once');
  });

  withQueue('a failing job is retried with backoff, then dead and visible, and comes back when asked for', async (q) => {
    let healthy = false;
    const r = recorder((id) => { if (id === 'z' && !healthy) throw new Error('boom'); return {}; });
    q.process(r.handler);
    await q.enqueue('z');
    await until('three failed runs', async () => r.count('z') === 3 && (await q.stats()).dead === 1, 10_000);
    const gaps = r.runs.slice(1).map((x, i) => x.at - r.runs[i]!.at);
    assert.ok(gaps.every((g) => g >= 900), `a backoff of at least a second between tries: ${gaps.join(', ')}`);
    assert.deepEqual(await q.dead(), ['z']);
    await q.ensure('z');
    await sleep(300);
    assert.equal(r.count('z'), 3, 'the sweep leaves a dead job dead');
    healthy = true;
    await q.enqueue('z');
    await until('z ran again', () => r.count('z') === 4);
    await until('no dead job', async () => (await q.dead()).length === 0);
  }, { maxAttempts: 3 });

  withQueue('ensure schedules only what has nothing scheduled; stats count due, delayed and active', async (q) => {
    await q.enqueue('later', 60_000);
    await q.enqueue('now');
    await q.ensure('later');
    await q.ensure('fresh');
    const s = await q.stats();
    assert.equal(s.delayed, 1);
    assert.equal(s.due, 2);
    assert.equal(s.active, 0);
    let release!: () => void;
    const gate = new Promise<void>((res) => { release = res; });
    const r = recorder(async () => { await gate; return {}; });
    q.process(r.handler);
    await until('two running', async () => (await q.stats()).active === 2);
    release();
    await until('both done', async () => (await q.stats()).active === 0);
    assert.equal(r.count('later'), 0, 'ensure did not pull the delayed job forward');
    assert.deepEqual(r.runs.map((x) => x.id).sort(), ['fresh', 'now']);
    assert.equal((await q.stats()).oldestDueSeconds, 0);
  });

  // A process that stalls (CPU starvation, a slow disk under Redis) past the job lock loses
  // it, and the job is handed out again while the stalled run still goes on.
  for (const where of ['this worker', 'another worker'] as const) {
    test(`${name} queue: a run whose process stalls past the job lock is not run again meanwhile, on ${where}`, async () => {
      // with concurrency 1 the stalled worker has no room, so the job can only go to the peer
      const { queue: a, peer, cleanup } = await open({ concurrency: where === 'this worker' ? 4 : 1, lockMs: 1000, stalledIntervalMs: 300, leaseGraceMs: 1000 });
      const b = where === 'another worker' ? peer?.() : undefined;
      try {
        const r = recorder(async (_id, n) => {
          // run 1 outlasts a takeover's grace (1 s here) after the stall, so a wrong takeover would overlap it
          if (n === 1) { stall(2500); await sleep(3000); }
          return {};
        });
        a.process(r.handler);
        b?.process(r.handler);
        await a.enqueue('s');
        await until('s ran', () => r.count('s') >= 1);
        // a second run during the first one is what must not happen: look once the first has ended
        await until('run 1 ended', () => r.ended('s') >= 1, 15_000);
        assert.equal(r.overlap(), '', 'never two runs of one id at once');
        await until('no job left', async () => { const s = await a.stats(); return s.active + s.due + s.delayed === 0; }, 10_000);
      } finally { await b?.close(); await a.close(); await cleanup(); }
    });
  }

  test(`${name} queue: close waits for the running job, then takes no more`, async () => {
    const { queue: q, cleanup } = await open();
    try {
      let finished = false;
      q.process(async () => { await sleep(300); finished = true; return {}; });
      await q.enqueue('slow');
      await until('running', async () => (await q.stats()).active === 1);
      await q.close();
      assert.equal(finished, true, 'the running job finished before close returned');
      await q.enqueue('after');
    } finally { await cleanup(); }
  });
}
