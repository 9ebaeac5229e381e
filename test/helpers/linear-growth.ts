// Linear or not, without an absolute time: the same bytes parsed as one input of the largest
// size and as K distinct inputs K times smaller (distinct, so that both ways read as much
// memory: one small input parsed K times stays in the CPU's cache and measured 4-5x faster),
// timed alternately in one run so that whatever else the machine does weighs on both. Linear
// work gives a ratio near 1, quadratic work near K.
/** How many parts the largest input is cut into: quadratic work then takes 32 times longer. */
export const K = 32;
/** The largest ratio taken for linear work. Measured 2026-12-07 over the 24 cases of
 * parser-worst-case.test.ts: linear work at most 1.8x on an idle machine and 3.1x with three
 * busy processes on the two cores; the two quadratic examples there 13.6x to 67x. */
export const GROWTH_LIMIT = 8;
const ROUNDS = 5;

export interface Growth { full: number; parts: number; ratio: number }

/** Work this short is repeated until it is not, since a timer's and a scheduler's noise would
 * be most of it (a choice of repetitions, not a limit: nothing is asserted about it). */
const SPAN_MS = 5;

/** The best of ROUNDS timings each way, per run of the largest input, in ms; a thrown refusal
 * is an answer too. */
export function growth(full: () => unknown, parts: readonly (() => unknown)[]): Growth {
  if (parts.length !== K) throw new Error(`growth: ${K} parts expected, ${parts.length} given`);
  const run = (fn: () => unknown) => { try { fn(); } catch { /* refused: answered */ } };
  let t = performance.now();
  run(full); // compiles, and says how many repetitions make a measurable span
  const reps = Math.min(100, Math.max(1, Math.ceil(SPAN_MS / Math.max(performance.now() - t, 0.01))));
  let f = Infinity, p = Infinity;
  for (let r = 0; r < ROUNDS; r++) {
    t = performance.now();
    for (let i = 0; i < reps; i++) for (const part of parts) run(part);
    p = Math.min(p, (performance.now() - t) / reps);
    t = performance.now();
    for (let i = 0; i < reps; i++) run(full);
    f = Math.min(f, (performance.now() - t) / reps);
  }
  return { full: f, parts: p, ratio: f / p };
}
