// ClusterStore on Redis (ioredis), shared by every API and worker process. A record is a
// hash {v: version, r: JSON, h: the part admission reads (holdings.ts)}; update() is a compare-and-set on the version (a small Lua
// script), retried on conflict, so concurrent writers from any process never lose a
// write. Indexes: every id by creation time, each project's ids by creation time (its
// ZCARD is the project's count), each id's state (for the metrics without reading 10,000
// records), and each project's records that await a stack (holdings.ts), all changed by
// the same script as the record.
import { Redis, type ChainableCommander } from 'ioredis';
import type { ClusterRecord } from '../clusters/record.js';
import type { ClusterStore, Reservation } from './cluster-store.js';
import { StoreUnavailableError, toStoreError } from './errors.js';
import { awaitsStack, holdingRow, type HoldingRow, type Holdings, type HoldingsQuery } from './holdings.js';

const CREATE = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'v', 1, 'r', ARGV[2], 'h', ARGV[6])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[1])
redis.call('HSET', KEYS[4], ARGV[1], ARGV[4])
if ARGV[5] == '1' then redis.call('SADD', KEYS[5], ARGV[1]) end
return 1`;

const CAS = `
local v = redis.call('HGET', KEYS[1], 'v')
if not v then return -1 end
if v ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'v', tonumber(v) + 1, 'r', ARGV[2], 'h', ARGV[6])
redis.call('HSET', KEYS[2], ARGV[3], ARGV[4])
if ARGV[5] == '1' then redis.call('SADD', KEYS[3], ARGV[3]) else redis.call('SREM', KEYS[3], ARGV[3]) end
return 1`;

const DELETE = `
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('HDEL', KEYS[4], ARGV[1])
redis.call('SREM', KEYS[5], ARGV[1])
return 1`;

// a record an older version wrote gains its admission row and, when it awaits a stack, its
// place in the index; only while it is still the version that was read, and only once
const MIGRATE = `
if redis.call('HGET', KEYS[1], 'v') ~= ARGV[1] then return 0 end
if redis.call('HEXISTS', KEYS[1], 'h') == 1 then return 0 end
redis.call('HSET', KEYS[1], 'h', ARGV[2])
if ARGV[3] == '1' then redis.call('SADD', KEYS[2], ARGV[4]) end
return 1`;

// add one, drop the expired, answer the live ones: one script, so it is one step for every process
const RESERVE = `
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
local out = {}
local all = redis.call('HGETALL', KEYS[1])
local latest = 0
for i = 1, #all, 2 do
  local t = tonumber(cjson.decode(all[i + 1])['until'])
  if t <= tonumber(ARGV[3]) then redis.call('HDEL', KEYS[1], all[i])
  else table.insert(out, all[i + 1]); if t > latest then latest = t end end
end
if latest > 0 then redis.call('PEXPIRE', KEYS[1], latest - tonumber(ARGV[3]) + 60000) end
return out`;

const MAX_CONFLICTS = 100;

export class DuplicateRecordError extends Error {
  readonly code = 'STORE_DUPLICATE';
}

export class RedisClusterStore implements ClusterStore {
  readonly redis: Redis;
  private readonly k: { ids: string; states: string; record(id: string): string; project(p: string): string; reserved(p: string): string; awaiting(p: string): string; schema: string };
  private migrated?: Promise<void>;

  constructor(url: string, prefix = 'sm') {
    // fail fast while Redis is away (the API answers 503, the queue retries) instead of
    // holding requests until it is back
    this.redis = new Redis(url, { maxRetriesPerRequest: 2, connectTimeout: 2000, commandTimeout: 5000, lazyConnect: false });
    this.redis.on('error', () => { /* reported by the commands that fail, and by /readyz */ });
    this.k = {
      ids: `${prefix}:ids`, states: `${prefix}:states`,
      record: (id) => `${prefix}:cluster:${id}`, project: (p) => `${prefix}:project:${p}`, reserved: (p) => `${prefix}:reserved:${p}`,
      awaiting: (p) => `${prefix}:awaiting:${p}`, schema: `${prefix}:schema:holdings`,
    };
  }

  private async run<T>(what: string, f: () => Promise<T>): Promise<T> {
    try { return await f(); } catch (e) { throw toStoreError(what, e); }
  }

  async create(r: ClusterRecord): Promise<void> {
    const done = await this.run('create', () => this.redis.eval(CREATE, 5, this.k.record(r.id), this.k.ids, this.k.project(r.projectId), this.k.states,
      this.k.awaiting(r.projectId), r.id, JSON.stringify({ ...r, revision: 1 }), Date.parse(r.createdAt), r.state, awaitsStack(r) ? '1' : '0', JSON.stringify(holdingRow(r))));
    if (done !== 1) throw new DuplicateRecordError(`a record ${r.id} already exists`);
  }

  async reserve(projectId: string, r: Reservation, now: number): Promise<Reservation[]> {
    const live = await this.run('reserve', () => this.redis.eval(RESERVE, 1, this.k.reserved(projectId), r.id, JSON.stringify(r), now)) as string[];
    return live.map((x) => JSON.parse(x) as Reservation);
  }

  async release(projectId: string, id: string): Promise<void> {
    await this.run('release', () => this.redis.hdel(this.k.reserved(projectId), id));
  }

  async get(id: string): Promise<ClusterRecord | undefined> {
    const raw = await this.run('get', () => this.redis.hget(this.k.record(id), 'r'));
    return raw === null ? undefined : JSON.parse(raw) as ClusterRecord;
  }

  /** One command per id in one pipeline: the answers in order (null for a missing one). */
  private async pipelined(what: string, ids: readonly string[], add: (p: ChainableCommander, id: string) => void): Promise<(string | null)[]> {
    if (!ids.length) return [];
    const p = this.redis.pipeline();
    for (const id of ids) add(p, id);
    const out = await this.run(what, () => p.exec());
    return (out ?? []).map(([err, raw]) => {
      if (err) throw toStoreError(what, err);
      return typeof raw === 'string' ? raw : null;
    });
  }

  private async getMany(ids: string[]): Promise<ClusterRecord[]> {
    const raws = await this.pipelined('list', ids, (p, id) => p.hget(this.k.record(id), 'r'));
    return raws.flatMap((raw) => (raw === null ? [] : [JSON.parse(raw) as ClusterRecord]));
  }

  async listByProject(projectId: string): Promise<ClusterRecord[]> {
    return this.getMany(await this.run('list', () => this.redis.zrange(this.k.project(projectId), 0, -1)));
  }

  async holdings(projectId: string, q: HoldingsQuery): Promise<Holdings> {
    await (this.migrated ??= this.migrate().catch((e: unknown) => { this.migrated = undefined; throw e; }));
    const got = await this.run('holdings', () => this.redis.multi()
      .zcard(this.k.project(projectId))
      .smembers(this.k.awaiting(projectId))
      .zrangebyscore(this.k.project(projectId), q.since, '+inf')
      .exec());
    const [count, awaiting, recent] = (got ?? []).map(([err, v]) => { if (err) throw toStoreError('holdings', err); return v; }) as [number, string[], string[]];
    const ids = [...new Set([...awaiting, ...recent, ...q.ids])];
    if (!ids.length) return { count, records: [] };
    const rows = await this.pipelined('holdings', ids, (p, id) => p.hget(this.k.record(id), 'h'));
    const records = rows.flatMap((h) => (h ? [JSON.parse(h) as HoldingRow] : []));
    return { count, records: records.filter((h) => h.projectId === projectId) };
  }

  /** Once per process and data set: records written before the admission rows existed get them
   * (a marker key says it was done, by whichever process came first). */
  private async migrate(): Promise<void> {
    if (await this.run('migrate', () => this.redis.exists(this.k.schema))) return;
    const ids = await this.listIds();
    for (let i = 0; i < ids.length; i += 500) {
      const batch = ids.slice(i, i + 500);
      const p = this.redis.pipeline();
      for (const id of batch) p.hmget(this.k.record(id), 'v', 'r', 'h');
      const rows = (await this.run('migrate', () => p.exec())) ?? [];
      await Promise.all(rows.map(async ([err, got], k) => {
        if (err) throw toStoreError('migrate', err);
        const [v, raw, h] = got as (string | null)[];
        if (!v || !raw || h) return;
        const r = JSON.parse(raw) as ClusterRecord;
        await this.run('migrate', () => this.redis.eval(MIGRATE, 2, this.k.record(batch[k]!), this.k.awaiting(r.projectId),
          v, JSON.stringify(holdingRow(r)), awaitsStack(r) ? '1' : '0', r.id));
      }));
    }
    await this.run('migrate', () => this.redis.set(this.k.schema, '1'));
  }

  async listIds(): Promise<string[]> {
    return this.run('list', () => this.redis.zrange(this.k.ids, 0, -1));
  }

  async update(id: string, change: (current: ClusterRecord) => ClusterRecord): Promise<ClusterRecord | undefined> {
    for (let i = 0; i < MAX_CONFLICTS; i++) {
      const out = await this.write(id, undefined, change);
      if (out !== 'stale') return out;
      // another writer got in between: read again and re-apply the change
    }
    throw new StoreUnavailableError(`update of ${id}: still conflicting after ${MAX_CONFLICTS} attempts`);
  }

  updateAt(id: string, revision: number, change: (current: ClusterRecord) => ClusterRecord): Promise<ClusterRecord | 'stale' | undefined> {
    return this.write(id, revision, change);
  }

  /** One compare-and-set: 'stale' when the record moved on from what was read (or from `revision`). */
  private async write(id: string, revision: number | undefined, change: (current: ClusterRecord) => ClusterRecord): Promise<ClusterRecord | 'stale' | undefined> {
    const [v, raw] = await this.run('update', () => this.redis.hmget(this.k.record(id), 'v', 'r'));
    if (!v || !raw) return undefined;
    const current = JSON.parse(raw) as ClusterRecord;
    // the hash's version counts the writes: the record's revision is the one this write makes
    if (revision !== undefined && Number(v) !== revision) return 'stale';
    const next = { ...change(current), revision: Number(v) + 1 };
    const done = await this.run('update', () => this.redis.eval(CAS, 3, this.k.record(id), this.k.states, this.k.awaiting(current.projectId),
      v, JSON.stringify(next), id, next.state, awaitsStack(next) ? '1' : '0', JSON.stringify(holdingRow(next))));
    if (done === 1) return next;
    if (done === -1) return undefined;
    return 'stale';
  }

  async delete(id: string): Promise<void> {
    const r = await this.get(id);
    if (!r) return;
    await this.run('delete', () => this.redis.eval(DELETE, 5, this.k.record(id), this.k.ids, this.k.project(r.projectId), this.k.states, this.k.awaiting(r.projectId), id));
  }

  async countByState(): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const s of await this.run('count', () => this.redis.hvals(this.k.states))) counts[s] = (counts[s] ?? 0) + 1;
    return counts;
  }

  async ping(): Promise<void> {
    await this.run('ping', () => this.redis.ping());
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
