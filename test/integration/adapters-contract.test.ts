// One contract, two adapters: the embedded ones (SQLite, in-process queue) and the
// production ones (Redis, BullMQ) against a real redis-server started for this file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { randomUUID } from 'node:crypto';
import { BullJobQueue } from '../../src/queue/bull-queue.js';
import { LocalJobQueue } from '../../src/queue/local-queue.js';
import { RedisClusterStore } from '../../src/store/redis-store.js';
import { SqliteClusterStore } from '../../src/store/sqlite-store.js';
import { queueContract } from '../contract/queue.js';
import { sampleRecord, storeContract } from '../contract/store.js';
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

test('redis store: records an older version wrote (no admission row, not in the awaiting index) are found by holdings after the one-time migration', async () => {
  const prefix = `t${randomUUID().slice(0, 8)}`;
  const old = '2026-01-01T00:00:00.000Z';
  const s = new RedisClusterStore(redis.url, prefix);
  try {
    // as e7b5a70's scripts wrote them: {v, r}, the id and project indexes, the state
    const write = async (r: ReturnType<typeof sampleRecord>) => {
      await s.redis.hset(`${prefix}:cluster:${r.id}`, 'v', 1, 'r', JSON.stringify({ ...r, revision: 1 }));
      await s.redis.zadd(`${prefix}:ids`, Date.parse(r.createdAt), r.id);
      await s.redis.zadd(`${prefix}:project:${r.projectId}`, Date.parse(r.createdAt), r.id);
      await s.redis.hset(`${prefix}:states`, r.id, r.state);
    };
    await write({ ...sampleRecord('waiting', 'p1', old), admittedNeeds: { instances: 2 } });
    await write({ ...sampleRecord('acked', 'p1', old, 'ready'), stackId: 'st' });
    await write(sampleRecord('elsewhere', 'p2', old));
    const h = await s.holdings('p1', { since: Date.parse('2026-06-01T00:00:00.000Z'), ids: [] });
    assert.equal(h.count, 2);
    assert.deepEqual(h.records, [{ id: 'waiting', projectId: 'p1', createdAt: old, desired: 'present', state: 'pending', stackId: null, admittedNeeds: { instances: 2 } }]);
    assert.equal((await s.get('acked'))!.revision, 1, 'the records themselves untouched');
    assert.equal(await s.redis.exists(`${prefix}:schema:holdings`), 1, 'done once');
  } finally { await s.close(); }
});
