// The fuzz run's client, in a worker thread: generating and sending requests costs the
// service's event loop nothing, so its measured delay is the service's own. Generates in
// small batches (nothing large is kept), sends with a few connections at once, and posts
// back what it saw.
import { Agent, request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import fc from 'fast-check';
import { requestSpec, rawRequest, type Spec } from './fuzz-requests.js';

export interface FuzzJob { url: string; token: string; existing: string; total: number; raw: number; seed: number; concurrency: number }
export interface FuzzReport { sent: number; statuses: Record<string, number>; bad: string[]; seconds: number }

const job = workerData as FuzzJob;
const port = Number(new URL(job.url).port);
// valid-credential requests come from another loopback address: the anonymous ones' failed
// logins (from 127.0.0.1) must not put them behind the failed-login limit
const anonymous = new Agent({ keepAlive: true, maxSockets: job.concurrency });
const authenticated = new Agent({ keepAlive: true, maxSockets: 4, localAddress: '127.0.0.2' } as ConstructorParameters<typeof Agent>[0]);

function send(spec: Spec): Promise<{ status: number; text: string }> {
  const headers: Record<string, string> = { ...spec.headers };
  if (spec.auth === 'token') headers['X-Auth-Token'] = job.token;
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method: spec.method, path: spec.path, headers, agent: spec.auth === 'token' ? authenticated : anonymous }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => { if (chunks.length < 2) chunks.push(c); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8').slice(0, 200) }));
      res.on('error', reject);
    });
    // the server may answer (413, 431) and close before it took the whole body
    req.on('error', (e: NodeJS.ErrnoException) => (e.code === 'ECONNRESET' || e.code === 'EPIPE' ? resolve({ status: -1, text: e.code }) : reject(e)));
    req.end(spec.body === '' ? undefined : Buffer.from(spec.body, 'latin1'));
  });
}

/** One request as raw bytes on its own connection: the answer's status (0: closed without one). */
function sendRaw(bytes: Buffer): Promise<number> {
  return new Promise((resolve) => {
    let got = '';
    const sock = connect(port, '127.0.0.1', () => { sock.end(bytes); });
    sock.setTimeout(10_000, () => sock.destroy());
    sock.on('data', (c) => { got += c.toString('latin1'); if (got.includes('\r\n')) sock.destroy(); });
    sock.on('error', () => undefined);
    sock.on('close', () => resolve(Number(/^HTTP\/1\.[01] (\d{3})/.exec(got)?.[1] ?? 0)));
  });
}

async function run(): Promise<FuzzReport> {
  const statuses: Record<string, number> = {};
  const bad: string[] = [];
  const count = (st: number) => { statuses[st] = (statuses[st] ?? 0) + 1; };
  const started = Date.now();
  const specs = requestSpec(() => job.existing);
  const raws = rawRequest(() => job.existing);
  const BATCH = 64;
  let sent = 0;
  for (let b = 0; sent < job.total - job.raw; b++) {
    const batch = fc.sample(specs, { numRuns: Math.min(BATCH, job.total - job.raw - sent), seed: job.seed + b });
    let i = 0;
    await Promise.all(Array.from({ length: job.concurrency }, async () => {
      for (let k = i++; k < batch.length; k = i++) {
        const r = await send(batch[k]!);
        count(r.status);
        if (r.status >= 500 || r.status === 0) bad.push(`${r.status} ${batch[k]!.method} ${batch[k]!.path.slice(0, 80)} (seed ${job.seed + b}, #${k}): ${r.text}`);
      }
    }));
    sent += batch.length;
  }
  for (let b = 0; sent < job.total; b++) {
    const batch = fc.sample(raws, { numRuns: Math.min(BATCH, job.total - sent), seed: job.seed - 1 - b });
    const got = await Promise.all(batch.map(sendRaw));
    got.forEach((st, k) => { count(st); if (st >= 500) bad.push(`${st} raw ${JSON.stringify(batch[k]!.toString('latin1').slice(0, 120))}`); });
    sent += batch.length;
  }
  anonymous.destroy();
  authenticated.destroy();
  return { sent, statuses, bad, seconds: (Date.now() - started) / 1000 };
}

run().then((r) => parentPort!.postMessage(r), (e: unknown) => { throw e; });
