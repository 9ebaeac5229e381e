// What a create looks up in the caller's cloud (flavors, images, the external network,
// quota headroom), kept per project for a while so a POST does not wait on four OpenStack
// calls. A value past its time is still served while a fresh one is fetched in the
// background (stale-while-revalidate), up to ten times its time to live; failures are
// never kept (a missing flavor is looked up again next time).
/** A value is served for this many times its time to live at most (while a fresh one is fetched). */
export const STALE_FACTOR = 10;

interface Entry { at: number; value: Promise<unknown>; settled: boolean; refreshing: boolean }

export class LookupCache {
  private readonly m = new Map<string, Entry>();

  constructor(private readonly maxEntries = 10_000) {}

  get<T>(key: string, ttlMs: number, load: () => Promise<T>): Promise<T> {
    if (ttlMs <= 0) return load();
    const now = Date.now();
    const e = this.m.get(key);
    if (e && !e.settled) return e.value as Promise<T>;
    if (e && now - e.at < ttlMs * STALE_FACTOR) {
      if (now - e.at >= ttlMs && !e.refreshing) {
        e.refreshing = true;
        load().then((v) => { this.m.set(key, { at: Date.now(), value: Promise.resolve(v), settled: true, refreshing: false }); },
          () => { e.refreshing = false; });
      }
      return e.value as Promise<T>;
    }
    const fresh: Entry = { at: now, value: load(), settled: false, refreshing: false };
    if (this.m.size >= this.maxEntries) this.m.delete(this.m.keys().next().value!);
    this.m.set(key, fresh);
    fresh.value.then(() => { fresh.settled = true; fresh.at = Date.now(); }, () => { if (this.m.get(key) === fresh) this.m.delete(key); });
    return fresh.value as Promise<T>;
  }
}
