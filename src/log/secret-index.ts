// A bounded set of strings to find in text, indexed by their first characters: finding
// them costs two map lookups per character of the text, however many are held, so a
// long-running service's log lines do not get slower as it sees more tokens. Long strings
// are indexed by a long prefix: Keystone's tokens all begin alike (gAAAAAB...).
const LONG = 16;
const FEW = 32;

export class SecretIndex {
  private readonly short = new Map<string, Set<string>>();
  private readonly long = new Map<string, Set<string>>();
  /** Insertion order (a Set iterates in it): the oldest is forgotten first. */
  private readonly order = new Set<string>();

  /** prefix: the shortest string accepted (and the short index's key length). */
  constructor(private readonly prefix: number, private readonly max: number) {}

  private bucketOf(s: string): [Map<string, Set<string>>, string] {
    return s.length >= LONG ? [this.long, s.slice(0, LONG)] : [this.short, s.slice(0, this.prefix)];
  }

  get size(): number { return this.order.size; }

  has(s: string): boolean { return this.order.has(s); }

  /** Adds `s` (at least `prefix` long); returns the one forgotten to make room, if any. */
  add(s: string): string | undefined {
    if (s.length < this.prefix) throw new RangeError(`shorter than ${this.prefix} characters`);
    if (this.order.has(s)) {
      // seen again: the newest now
      this.order.delete(s);
      this.order.add(s);
      return undefined;
    }
    let dropped: string | undefined;
    if (this.order.size >= this.max) {
      dropped = this.order.values().next().value;
      if (dropped !== undefined) this.delete(dropped);
    }
    this.order.add(s);
    const [map, key] = this.bucketOf(s);
    let bucket = map.get(key);
    if (!bucket) map.set(key, bucket = new Set());
    bucket.add(s);
    return dropped;
  }

  delete(s: string): void {
    if (!this.order.delete(s)) return;
    const [map, key] = this.bucketOf(s);
    const bucket = map.get(key);
    bucket?.delete(s);
    if (bucket?.size === 0) map.delete(key);
  }

  /** The length of the longest held string that starts at text[i], or 0. */
  private matchAt(text: string, i: number): number {
    let best = 0;
    for (const bucket of [this.long.size ? this.long.get(text.slice(i, i + LONG)) : undefined,
      this.short.size ? this.short.get(text.slice(i, i + this.prefix)) : undefined]) {
      if (bucket) for (const s of bucket) if (s.length > best && text.startsWith(s, i)) best = s.length;
    }
    return best;
  }

  /** Whether any held string occurs in text. */
  occursIn(text: string): boolean {
    // a few are found faster one by one (native search) than by the index
    if (this.order.size <= FEW) {
      for (const s of this.order) if (text.includes(s)) return true;
      return false;
    }
    for (let i = 0; i + this.prefix <= text.length; i++) if (this.matchAt(text, i)) return true;
    return false;
  }

  /** Every occurrence replaced by `by`, leftmost first, the longest at a position winning. */
  replaceIn(text: string, by: string): string {
    if (this.order.size === 0) return text;
    let out = '';
    let from = 0;
    for (let i = 0; i + this.prefix <= text.length;) {
      const n = this.matchAt(text, i);
      if (n === 0) { i++; continue; }
      out += text.slice(from, i) + by;
      i += n;
      from = i;
    }
    return from === 0 ? text : out + text.slice(from);
  }
}
