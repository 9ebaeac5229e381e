// Who is running a cluster's job right now, across worker processes. BullMQ's job lock can
// lapse while its run goes on: a process stalled past the lock duration (CPU starvation, a
// slow disk under Redis) loses it, and the job is handed out again. A run lease is held for
// the whole run and a stall does not lose it. It is taken over only when its holder's
// process is gone, or when its long TTL has run out.
// - Gone: the holder's presence connection has left Redis. A crash or kill -9 closes it at
//   once. It must stay away for a grace period, which covers the reconnects after a Redis
//   restart.
// - TTL: bounds the wait when a release was lost and the holder lives on.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';

// Fixed scripts: ids and names travel only as KEYS and ARGV.
const STEAL = `if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) return 1 end return 0`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end return 1`;
const RENEW = `for i, k in ipairs(KEYS) do if redis.call('GET', k) == ARGV[1] then redis.call('PEXPIRE', k, ARGV[2]) end end return 1`;

export interface RunLeaseOptions {
  /** The lease's TTL; renewed every quarter of it while the run lasts. */
  ttlMs: number;
  /** How long a holder's presence must stay away before its lease is taken over. */
  graceMs: number;
}

export class RunLeases {
  /** This process's presence: a Redis client name, for as long as the process lives. */
  readonly me: string;
  private readonly presence: Redis;
  private readonly held = new Set<string>();
  private readonly unreleased = new Set<string>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly redis: Redis, url: string, private readonly prefix: string, private readonly o: RunLeaseOptions) {
    this.me = `${prefix}:worker:${randomUUID()}`;
    // ioredis names the connection again on every reconnect
    this.presence = new Redis(url, { connectionName: this.me, maxRetriesPerRequest: null });
    this.presence.on('error', () => undefined);
    this.timer = setInterval(() => void this.renew(), o.ttlMs / 4);
    this.timer.unref();
  }

  private key(id: string): string { return `${this.prefix}:q:lease:${id}`; }

  /** True when this process now holds `id`'s lease; false while another run of it goes on. */
  async acquire(id: string): Promise<boolean> {
    const key = this.key(id);
    for (let i = 0; i < 3; i++) {
      if (await this.redis.set(key, this.me, 'PX', this.o.ttlMs, 'NX') === 'OK') return this.hold(id);
      const holder = await this.redis.get(key);
      if (holder === null) continue; // released meanwhile
      if (holder === this.me) {
        if (this.held.has(id)) return false; // a run of it goes on in this process
      } else {
        if (await this.present(holder)) return false;
        await sleep(this.o.graceMs);
        if (await this.present(holder)) return false;
      }
      // the holder is gone, or it is this process and its release was lost
      if (await this.redis.eval(STEAL, 1, key, holder, this.me, this.o.ttlMs) === 1) return this.hold(id);
    }
    return false;
  }

  private hold(id: string): true {
    this.held.add(id);
    this.unreleased.delete(id);
    return true;
  }

  async release(id: string): Promise<void> {
    this.held.delete(id);
    try {
      await this.redis.eval(RELEASE, 1, this.key(id), this.me);
    } catch {
      this.unreleased.add(id); // retried by the renewal timer; the TTL is the last resort
    }
  }

  /** Whether a process of that presence name is connected to Redis. */
  private async present(name: string): Promise<boolean> {
    try {
      const list = await this.redis.client('LIST') as string;
      return list.split('\n').some((line) => line.includes(` name=${name} `));
    } catch {
      return true; // cannot tell (a provider may forbid CLIENT LIST): wait for the TTL
    }
  }

  private async renew(): Promise<void> {
    try {
      if (this.held.size) await this.redis.eval(RENEW, this.held.size, ...[...this.held].map((id) => this.key(id)), this.me, this.o.ttlMs);
      for (const id of [...this.unreleased]) {
        await this.redis.eval(RELEASE, 1, this.key(id), this.me);
        this.unreleased.delete(id);
      }
    } catch { /* Redis away: next tick */ }
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.presence.quit().catch(() => this.presence.disconnect());
  }
}
