// The fuzz run's client, in a worker thread: generating and sending requests costs the
// service's event loop nothing, so its measured delay is the service's own. Generates in
// small batches (nothing large is kept), sends with a few connections at once, and posts
// back what it saw.
import { Agent, request as httpRequest } from 'node:http';
import { connect, type Socket } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import fc from 'fast-check';
import { requestSpec, rawRequest, type Spec } from './fuzz-requests.js';

export interface FuzzJob {
  url: string; token: string; existing: string; total: number; raw: number; seed: number; concurrency: number;
  /** The service's limits: a request over one may be answered (413, 431) and cut off before it is all sent. */
  maxBodyBytes: number; maxHeaderBytes: number;
}
export interface FuzzReport { sent: number; statuses: Record<string, number>; bad: string[]; seconds: number; resets: number }

const job = workerData as FuzzJob;
const port = Number(new URL(job.url).port);
// valid-credential requests come from another loopback address: the anonymous ones' failed
// logins (from 127.0.0.1) must not put them behind the failed-login limit
const anonymous = new Agent({ keepAlive: true, maxSockets: job.concurrency });
const authenticated = new Agent({ keepAlive: true, maxSockets: 4, localAddress: '127.0.0.2' } as ConstructorParameters<typeof Agent>[0]);

/** Why the server may cut this request off: it is over the body or the header limit; undefined when it is not. */
export function overLimit(spec: Spec, headers: Record<string, string>, limits: Pick<FuzzJob, 'maxBodyBytes' | 'maxHeaderBytes'>): string | undefined {
  const body = Buffer.byteLength(spec.body, 'latin1');
  const head = Object.entries(headers).reduce((n, [k, v]) => n + k.length + Buffer.byteLength(v, 'latin1') + 4, spec.method.length + spec.path.length + 12);
  if (body > limits.maxBodyBytes) return `a body of ${body} bytes, over ${limits.maxBodyBytes}`;
  if (head > limits.maxHeaderBytes) return `headers of about ${head} bytes, over ${limits.maxHeaderBytes}`;
  return undefined;
}

/** What the last request on a kept-alive connection was, and whether the server said it would close it. */
interface SocketUse { what: string; overLimit?: string; closing: boolean; status?: number; body: number }
const lastUse = new WeakMap<Socket, SocketUse>();

/** A reset is explained by this request (over a limit: answered and cut off) or by the one
 * before it on the same connection (over a limit, or answered with Connection: close: the
 * agent sent this one before it saw the close). */
export function resetExplained(own: string | undefined, previous: SocketUse | undefined): string | undefined {
  if (own) return own;
  if (previous?.overLimit) return `the connection's previous request (${previous.what}) was ${previous.overLimit}`;
  if (previous?.closing) return `the connection's previous request (${previous.what}) was answered with Connection: close`;
  return undefined;
}

/** Whether Node's HTTP parser itself refuses this request line (an answer of 400 and a closed
 * connection, before the service sees anything): asked again on a connection of its own. */
async function parserRefuses(spec: Spec): Promise<string | undefined> {
  const head = await rawAnswer(Buffer.from(`${spec.method} ${spec.path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`, 'latin1'));
  // Node's own answer (no clientError handler): a bare 400 with Connection: close, no body of the service's
  return /^HTTP\/1\.1 400 Bad Request\r\nConnection: close\r\n\r\n$/.test(head) ? 'its request line is refused by the HTTP parser (400, the connection closed)' : undefined;
}

function send(spec: Spec): Promise<{ status: number; text: string }> {
  const headers: Record<string, string> = { ...spec.headers };
  if (spec.auth === 'token') headers['X-Auth-Token'] = job.token;
  // framed by its length: for DELETE (and GET) Node's client sends a body with neither a length
  // nor chunks, and the server reads the body's bytes as the next request on the connection
  if (spec.body !== '') headers['Content-Length'] = String(Buffer.byteLength(spec.body, 'latin1'));
  // what Node's client adds, counted for the header limit
  const sentHeaders = { Host: `127.0.0.1:${port}`, Connection: 'keep-alive', ...headers };
  const use: SocketUse = { what: `${spec.method} ${spec.path.slice(0, 60)}`, overLimit: overLimit(spec, sentHeaders, job), closing: false, body: Buffer.byteLength(spec.body, 'latin1') };
  let previous: SocketUse | undefined;
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method: spec.method, path: spec.path, headers, agent: spec.auth === 'token' ? authenticated : anonymous }, (res) => {
      use.closing = /close/i.test(String(res.headers.connection ?? ''));
      use.status = res.statusCode;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => { if (chunks.length < 2) chunks.push(c); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8').slice(0, 200) }));
      res.on('error', reject);
    });
    req.on('socket', (sock: Socket) => { previous = lastUse.get(sock); lastUse.set(sock, use); });
    // the server may answer (413, 431) and close before it took the whole body: a reset is
    // fine only where a request over a limit or a closing answer explains it, a bad case otherwise
    req.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'ECONNRESET' && e.code !== 'EPIPE') { reject(e); return; }
      void (async () => resetExplained(use.overLimit, previous) ?? await parserRefuses(spec))().then((why) => resolve(why ? { status: -1, text: `${e.code}: ${why}` }
        : { status: 0, text: `${e.code} on a request within the limits, after ${previous ? `${previous.what} (${previous.status}, body ${previous.body} bytes) on the same connection` : 'nothing else on its connection'}` }), reject);
    });
    req.end(spec.body === '' ? undefined : Buffer.from(spec.body, 'latin1'));
  });
}

/** One request as raw bytes on its own connection: what came back until the connection closed (at most 4 KB). */
function rawAnswer(bytes: Buffer, untilFirstLine = false): Promise<string> {
  return new Promise((resolve) => {
    let got = '';
    const sock = connect(port, '127.0.0.1', () => { sock.end(bytes); });
    sock.setTimeout(10_000, () => sock.destroy());
    sock.on('data', (c) => { got += c.toString('latin1'); if ((untilFirstLine && got.includes('\r\n')) || got.length > 4096) sock.destroy(); });
    sock.on('error', () => undefined);
    sock.on('close', () => resolve(got));
  });
}

/** One request as raw bytes on its own connection: the answer's status (0: closed without one). */
async function sendRaw(bytes: Buffer): Promise<number> {
  return Number(/^HTTP\/1\.[01] (\d{3})/.exec(await rawAnswer(bytes, true))?.[1] ?? 0);
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
  return { sent, statuses, bad, seconds: (Date.now() - started) / 1000, resets: statuses[-1] ?? 0 };
}

run().then((r) => parentPort!.postMessage(r), (e: unknown) => { throw e; });
