// Answers to GET /disco/<id>, kept per record revision. Clients poll a cluster while it
// provisions, and most polls find it unchanged. A kept answer saves opening the sealed
// secrets and rendering again, the larger part of a GET's own work. Entries live in this
// process's memory only, for at most `ttlMs` and `max` answers. The process already holds
// the key that opens every secret, so a kept private key adds no new exposure. An answer
// is looked up only after the caller's ownership of the record has been checked.
import type { Rendered } from '../occi/index.js';

export interface AnswerCacheOptions { max: number; ttlMs: number }

export class AnswerCache {
  private readonly m = new Map<string, { until: number; answer: Rendered }>();

  constructor(private readonly o: AnswerCacheOptions = { max: 1000, ttlMs: 60_000 }) {}

  /** The key of one rendering of one revision; undefined when the record has no revision. */
  static key(id: string, revision: number | undefined, type: string, baseUrl: string): string | undefined {
    return revision === undefined ? undefined : `${id} ${revision} ${type} ${baseUrl}`;
  }

  get(key: string | undefined, now = Date.now()): Rendered | undefined {
    if (key === undefined) return undefined;
    const e = this.m.get(key);
    if (!e) return undefined;
    this.m.delete(key);
    if (e.until <= now) return undefined;
    this.m.set(key, e); // most recently used last
    return e.answer;
  }

  set(key: string | undefined, answer: Rendered, now = Date.now()): void {
    if (key === undefined || this.o.max <= 0) return;
    this.m.delete(key);
    this.m.set(key, { until: now + this.o.ttlMs, answer });
    // a Map iterates in insertion order: the first entries are the least recently used
    for (const k of this.m.keys()) {
      if (this.m.size <= this.o.max) break;
      this.m.delete(k);
    }
  }

  get size(): number { return this.m.size; }
}
