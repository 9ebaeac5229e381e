// The test run `npm test` makes: the unit tests together as one job and the integration files
// one job each, side by side in lanes (each heavy one has its own project in the local cloud, see
// test/helpers/cloud.ts), each file with a time limit. Whatever a file started (services,
// node-sim, redis-server) is killed when it ends, found by a marker in its environment, so
// a failed file can never keep the run alive. The demo project, which several files share,
// is emptied of stacks before the integration files. Ends with the ten slowest files.
//   node --import tsx test/run.ts [FILE...]      (SM_TEST_LANES, SM_TEST_FILE_MINUTES)
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cloud } from './helpers/cloud.js';
import { diagnosisOf } from './helpers/diagnosis.js';
import { emptyLane } from './helpers/heat.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
/** Four files at a time, since Neutron has two API workers (measured on a fresh local cloud,
 * 29/29 passing: npm test 19m38s with 4 lanes, 21m31s with 3; with one Neutron worker four lanes
 * had made creates take over 3 min). */
const LANES = Number(process.env.SM_TEST_LANES ?? 4);
/** A file's limit: a stuck file must not keep the run alive; 25 min, since the slowest files took
 * 17-18 min when the local cloud was saturated (measured 2026-11-29: crash-safety 1109 s, real-nodes
 * 1046 s, lifecycle 1044 s; at 20 min three files were stopped, one of them about to pass). */
const FILE_MS = Number(process.env.SM_TEST_FILE_MINUTES ?? 25) * 60_000;
/** The files that take longest start first, longest first, so the lanes end together; the unit
 * tests are one job among them, placed by their time, filling a lane near the end instead of
 * keeping the integration files waiting (by the durations of a whole run on 2026-12-07, 34/34
 * in 20.1 min: this order ends the four lanes within 2 s of each other, at 1,091 s of file
 * time, where the order before, with the unit tests first, ended its last lane at 1,208 s). */
const FIRST = ['crash-safety', 'real-nodes', 'lifecycle', 'cli', 'readme-walkthrough', 'reconciler-failures', 'production-mode',
  'dashboard-browser', 'failures', 'bootstrap-signals', 'fuzz-api', 'service-restart', 'service-icclab-flow', 'heat-stack', 'unit',
  'image', 'adapters-contract'];

interface Done { file: string; ms: number; ok: boolean; why?: string; diagnosis: string[] }

const list = (dir: string) => readdirSync(`${ROOT}${dir}`).filter((f) => f.endsWith('.test.ts')).sort().map((f) => `${dir}/${f}`);
const rank = (f: string) => { const i = FIRST.findIndex((x) => f === x || f.endsWith(`/${x}.test.ts`)); return i < 0 ? FIRST.length : i; };

/** Every process whose environment carries this run's marker for a file (its children too, detached or not). */
function marked(marker: string): number[] {
  const pids: number[] = [];
  for (const p of readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
    try { if (readFileSync(`/proc/${p}/environ`, 'latin1').includes(`SM_TEST_MARKER=${marker}\0`)) pids.push(Number(p)); } catch { /* gone or not ours */ }
  }
  return pids.filter((p) => p !== process.pid);
}

function killMarked(marker: string, signal: NodeJS.Signals): number {
  const pids = marked(marker);
  for (const p of pids) { try { process.kill(p, signal); } catch { /* gone */ } }
  return pids.length;
}

function runFile(files: string[], file = files[0]!, extra: string[] = []): Promise<Done> {
  const marker = randomUUID();
  const started = Date.now();
  const out: string[] = [];
  const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...extra, ...files],
    { cwd: ROOT, env: { ...process.env, SM_TEST_MARKER: marker, FORCE_COLOR: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (c: Buffer) => out.push(String(c)));
  child.stderr.on('data', (c: Buffer) => out.push(String(c)));
  let why: string | undefined;
  const limit = setTimeout(() => {
    why = `over its time limit of ${FILE_MS / 60_000} min (SM_TEST_FILE_MINUTES): stopped`;
    killMarked(marker, 'SIGTERM');
    setTimeout(() => killMarked(marker, 'SIGKILL'), 10_000).unref();
  }, FILE_MS);
  return new Promise((resolve) => {
    child.on('exit', (code) => {
      clearTimeout(limit);
      const ms = Date.now() - started;
      // what the file started and left behind goes with it
      const left = killMarked(marker, 'SIGKILL');
      if (left) out.push(`\n[test/run] killed ${left} process(es) ${file} left running\n`);
      const ok = code === 0 && !why;
      const text = out.join('');
      process.stdout.write(`\n━━ ${file} ${ok ? 'passed' : 'FAILED'} in ${(ms / 1000).toFixed(1)} s\n${text}`);
      resolve({ file, ms, ok, why: why ?? (ok ? undefined : `exit code ${code}`), diagnosis: ok ? [] : diagnosisOf(text) });
    });
  });
}

/** A Heat whose engine stopped answering fails every later file: restarted (scripts/local-cloud/up does it). */
function healCloud(): void {
  const status = spawnSync(`${ROOT}scripts/local-cloud/status`, { encoding: 'utf8' });
  if (status.status === 0) return;
  process.stdout.write(`[test/run] the local cloud is unwell:\n${status.stdout.split('\n').filter((l) => !/running|answers/.test(l)).join('\n')}\n[test/run] scripts/local-cloud/up\n`);
  spawnSync(`${ROOT}scripts/local-cloud/up`, { stdio: 'inherit' });
}

/** The demo project is shared by several files (the README's walk-through uses it as a reader
 * would): clusters an interrupted earlier run left there would hold its quota, and the files
 * admitted after them would be refused (measured: 9 of its instances held by three stacks). */
async function emptyDemo(): Promise<void> {
  try {
    const deleted = await emptyLane(cloud('demo').heat);
    if (deleted.length) process.stdout.write(`[test/run] deleted the stacks in the demo project (an earlier run's, or made by hand): ${deleted.join(', ')}\n`);
  } catch (e) {
    process.stdout.write(`[test/run] the demo project could not be emptied: ${(e as Error).message}\n`);
  }
}

async function main(): Promise<void> {
  const t0 = Date.now();
  const args = process.argv.slice(2);
  const unit = args.length ? args.filter((f) => f.includes('/unit/')) : list('test/unit');
  const integration = (args.length ? args.filter((f) => !f.includes('/unit/')) : list('test/integration'));
  if (integration.length) await emptyDemo();
  // one queue: the unit tests (no cloud) are one job of it, every integration file another
  const jobs: (() => Promise<Done>)[] = [...(unit.length ? ['unit'] : []), ...integration].sort((a, b) => rank(a) - rank(b))
    .map((f) => (f === 'unit' ? () => runFile(unit, `${unit.length} unit test files`, ['--test-concurrency=2']) : () => runFile([f])));
  const done: Done[] = [];
  // no file measures time, so every one can share the machine (the event loop's delay under
  // the fuzz load is measured by the bench, bench/fuzz-load.ts)
  await Promise.all(Array.from({ length: Math.min(LANES, jobs.length) }, async () => {
    for (let job = jobs.shift(); job; job = jobs.shift()) {
      const d = await job();
      done.push(d);
      if (!d.ok) healCloud();
    }
  }));
  const failed = done.filter((d) => !d.ok);
  process.stdout.write('\nslowest test files:\n');
  for (const d of [...done].sort((a, b) => b.ms - a.ms).slice(0, 10)) process.stdout.write(`  ${(d.ms / 1000).toFixed(1).padStart(7)} s  ${d.file}\n`);
  process.stdout.write(`\n${done.length - failed.length} of ${done.length} test files passed in ${((Date.now() - t0) / 60_000).toFixed(1)} min (${LANES} lanes)\n`);
  // last, with what the file said about why (test/helpers/diagnosis.ts): the end of a run is what CI shows
  for (const d of failed) process.stdout.write(`  FAILED ${d.file}: ${d.why}\n${d.diagnosis.map((l) => `    ${l}\n`).join('')}`);
  process.exit(failed.length ? 1 : 0);
}

void main();
