// A real redis-server for tests: its own port and directory, append-only file on (as
// production should run it), stopped with the test. down() and up() are a real stop and start
// on the same port and data (down() then up()), for the recovery tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

export interface TestRedis { url: string; port: number; stop(): Promise<void>; down(): Promise<void>; up(): Promise<void> }

export async function startRedis(): Promise<TestRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'sm-redis-'));
  const port = await freePort();
  let proc: ChildProcess | undefined;
  const url = `redis://127.0.0.1:${port}`;
  const up = async () => {
    // dies with the test process, however that ends (redis-server overwrites its environment
    // with its process title, so test/run.ts cannot find it by its marker)
    proc = spawn('setpriv', ['--pdeathsig', 'KILL', 'redis-server', '--port', String(port), '--bind', '127.0.0.1', '--dir', dir,
      '--appendonly', 'yes', '--appendfsync', 'always', '--save', '', '--maxmemory-policy', 'noeviction'], { stdio: 'ignore' });
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => undefined);
    for (let i = 0; i < 100; i++) {
      try { await probe.connect(); await probe.ping(); probe.disconnect(); return; } catch { await sleep(50); }
    }
    throw new Error(`redis-server did not start on port ${port}`);
  };
  const down = async () => {
    const p = proc;
    if (!p || p.exitCode !== null) return;
    const gone = new Promise((r) => p.once('exit', r));
    p.kill('SIGTERM');
    await gone;
  };
  await up();
  return {
    url, port,
    async stop() { await down(); rmSync(dir, { recursive: true, force: true }); },
    down, up,
  };
}
