// One contract, two adapters: the embedded ones (SQLite, in-process queue) and the
// production ones (Redis, BullMQ) against a real redis-server started for this file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { randomUUID } from 'node:crypto';
import { BullJobQueue } from '../../src/queue/bull-queue.js';
import { LocalJobQueue } from '../../src/queue/local-queue.js';
import { RedisClusterStore } from '../../src/store/redis-store.js';
import { SqliteClusterStore } from '../../src/store/sqlite-store.js';
import { queueContract } from '../contract/queue.js';
import { storeContract } from '../contract/store.js';
import { startRedis, type TestRedis } from '../helpers/redis.js';

let redis: TestRedis;
before(async () => { redis = await startRedis(); });
after(async () => { await redis.stop(); });

storeContract('sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sm-store-'));
  return {
    open: async () => new SqliteClusterStore(dir),
    reopen: async () => new SqliteClusterStore(dir),
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
});

storeContract('redis', async () => {
  const prefix = `t${randomUUID().slice(0, 8)}`;
  return {
    open: async () => new RedisClusterStore(redis.url, prefix),
    reopen: async () => new RedisClusterStore(redis.url, prefix),
    cleanup: async () => undefined,
  };
});

queueContract('in-process', async (o) => ({
  queue: new LocalJobQueue({ concurrency: o?.concurrency ?? 4, retryCapMs: 1000, maxAttempts: o?.maxAttempts }),
  cleanup: async () => undefined,
}));

queueContract('bullmq', async (o) => {
  const prefix = `t${randomUUID().slice(0, 8)}`;
  const make = () => new BullJobQueue({ url: redis.url, prefix, concurrency: o?.concurrency ?? 4, retryCapMs: 1000,
    maxAttempts: o?.maxAttempts ?? 20, lockMs: o?.lockMs ?? 5000, stalledIntervalMs: o?.stalledIntervalMs ?? 2000,
    leaseGraceMs: o?.leaseGraceMs });
  return { queue: make(), peer: make, cleanup: async () => undefined };
});
