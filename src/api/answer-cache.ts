// Answers to GET /disco/<id>, kept per record revision. Clients poll a cluster while it
// provisions, and most polls find it unchanged. A kept answer saves opening the sealed
// secrets and rendering again, the larger part of a GET's own work. Entries live in this
// process's memory only, for at most `ttlMs`, `max` answers and `maxBytes` bytes (the body,
// the headers and the key of each). The key (etag.ts renderingKey) is the rendering without
// the base URL, so callers sending many Host values add nothing. The process already holds
// the key that opens every secret, so a kept private key adds no new exposure. An answer
// is looked up only after the caller's ownership of the record has been checked.
import type { Rendered } from '../occi/index.js';
import { renderingKey, type RenderingOf } from './etag.js';

export interface AnswerCacheOptions { max: number; ttlMs: number; maxBytes?: number }

/** The default byte budget (answerCacheBytes): about a thousand answers with their keys. */
export const ANSWER_CACHE_BYTES = 4 * 1024 * 1024;

/** What an entry holds besides its strings: the Map slot, the entry and the answer objects. */
const ENTRY_OVERHEAD = 128;

/** The bytes one kept answer counts: key, body, content type and headers (names and values). */
export function answerBytes(key: string, a: Rendered): number {
  let n = ENTRY_OVERHEAD + Buffer.byteLength(key) + Buffer.byteLength(a.body) + a.contentType.length;
  for (const [name, value] of Object.entries(a.headers)) {
    n += name.length;
    for (const v of Array.isArray(value) ? value : [value]) n += Buffer.byteLength(v) + 8;
  }
  return n;
}

interface Entry { until: number; answer: Rendered; bytes: number }

export class AnswerCache {
  private readonly m = new Map<string, Entry>();
  private used = 0;
  private readonly maxBytes: number;

  constructor(private readonly o: AnswerCacheOptions = { max: 1000, ttlMs: 60_000 }) {
    this.maxBytes = o.maxBytes ?? ANSWER_CACHE_BYTES;
  }

  /** The key of one rendering of one revision; undefined when the record has no revision. */
  static key(r: RenderingOf): string | undefined {
    return renderingKey(r);
  }

  get(key: string | undefined, now = Date.now()): Rendered | undefined {
    if (key === undefined) return undefined;
    const e = this.m.get(key);
    if (!e) return undefined;
    this.drop(key, e);
    if (e.until <= now) return undefined;
    this.put(key, e); // most recently used last
    return e.answer;
  }

  set(key: string | undefined, answer: Rendered, now = Date.now()): void {
    if (key === undefined || this.o.max <= 0) return;
    const old = this.m.get(key);
    if (old) this.drop(key, old);
    const bytes = answerBytes(key, answer);
    if (bytes > this.maxBytes) return; // larger than the whole budget: never kept
    this.put(key, { until: now + this.o.ttlMs, answer, bytes });
    // a Map iterates in insertion order: the first entries are the least recently used
    for (const [k, e] of this.m) {
      if (this.m.size <= this.o.max && this.used <= this.maxBytes) break;
      this.drop(k, e);
    }
  }

  get size(): number { return this.m.size; }

  /** The bytes the kept answers count (answerBytes), at most maxBytes. */
  get bytes(): number { return this.used; }

  private put(key: string, e: Entry): void { this.m.set(key, e); this.used += e.bytes; }
  private drop(key: string, e: Entry): void { this.m.delete(key); this.used -= e.bytes; }
}
