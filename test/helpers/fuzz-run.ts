// The fuzz run's two halves, shared by the fuzz test (what cannot flake: no 5xx, no crash,
// every reset explained, memory back to baseline) and the bench (the event loop's delay
// under the same load): the service in this process with a counting log sink and one
// cluster to aim at, and the generating client in a worker thread.
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Worker } from 'node:worker_threads';
import { Writable } from 'node:stream';
import { compose, serve, type Listening, type Service } from '../../src/compose.js';
import { createLogger } from '../../src/log/logger.js';
import { loadConfig } from '../../src/config/load.js';
import { cloud, type Who } from './cloud.js';
import { icclabAttributes, KIND_CATEGORY, testEnv } from './service.js';
import type { FuzzJob, FuzzReport } from './fuzz-client.js';

export interface FuzzTarget {
  service: Service;
  /** The job's fixed part: where to send, with which token, at which cluster, under which limits. */
  job: Omit<FuzzJob, 'total' | 'raw' | 'seed'>;
  /** Log lines the service wrote (at info: one a request), and the first few that were not JSON. */
  log: { lines: number; broken: string[] };
  close(): Promise<void>;
}

export async function fuzzTarget(who: Who = 'demo', extraEnv: Record<string, string> = {}): Promise<FuzzTarget> {
  // at info, every request writes a log line: each must stay valid JSON. The sink checks and
  // counts them and keeps none (a kept line would count as memory the service holds).
  const log = { lines: 0, broken: [] as string[] };
  const sink = new Writable({
    write(c, _e, done) {
      for (const l of String(c).split('\n')) {
        if (l === '') continue;
        log.lines++;
        try { JSON.parse(l); } catch { if (log.broken.length < 5) log.broken.push(l.slice(0, 300)); }
      }
      done();
    },
  });
  const env = testEnv({ SM_LOG_LEVEL: 'info', ...extraEnv });
  const config = loadConfig({ ...process.env, ...env });
  const service = compose(config, createLogger({ level: config.logLevel, destination: sink }));
  const api: Listening = await serve(service.app, { host: '127.0.0.1', port: 0, http: config.http });
  const token = (await cloud(who).session.token()).value;
  const r = await fetch(`${api.url}/disco/`, { method: 'POST', headers: { 'X-Auth-Token': token, Category: KIND_CATEGORY, 'Content-Type': 'text/occi', 'X-OCCI-Attribute': icclabAttributes(1) } });
  assert.equal(r.status, 201, await r.text());
  const existing = /\/disco\/([0-9a-f-]{36})/.exec(r.headers.get('location') ?? '')![1]!;
  return {
    service, log,
    job: { url: api.url, token, existing, concurrency: 16, maxBodyBytes: config.http.maxBodyBytes, maxHeaderBytes: config.http.maxHeaderBytes },
    async close() {
      api.server.closeAllConnections();
      await new Promise((res) => api.server.close(res));
      for (const id of await service.store.listIds()) await service.store.delete(id);
      await service.close();
    },
  };
}

/** Runs the generating client in a worker thread: its work costs the service's event loop nothing. */
export function fuzzClient(job: FuzzJob): Promise<FuzzReport> {
  return new Promise((resolve, reject) => {
    // a worker does not inherit tsx's loader: it registers it, then loads the client
    const file = new URL('./fuzz-client.ts', import.meta.url).href;
    const w = new Worker(`import('tsx/esm/api').then((t) => { t.register(); return import(${JSON.stringify(file)}); })`, { eval: true, workerData: job });
    w.once('message', (r: FuzzReport) => { resolve(r); void w.terminate(); });
    w.once('error', reject);
    w.once('exit', (code) => { if (code !== 0) reject(new Error(`the fuzz client exited with ${code}`)); });
  });
}

export function heapAfterGc(): number {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc(); gc();
  return process.memoryUsage().heapUsed;
}
