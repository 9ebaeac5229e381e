// Failed logins counted per user name and per client address over a sliding window: past
// a limit, an attempt is refused before Keystone is asked (Keystone may lock the account,
// and a password guesser should not get Keystone's answers at full speed). An attempt
// counts from the moment it starts, so many sent at once cannot all slip through.
// A success takes back its own attempt and, for its user name, the failures from the
// same client (that client knows the password): never another client's failures.
// Memory is bounded: at most maxKeys keys, the least recently used forgotten first.

export interface LimiterOptions {
  /** Failed attempts for one user name, from any client, before it is refused; 0: no limit. */
  perUser: number;
  /** Failed attempts from one client address, for any user, before it is refused; 0: no limit. */
  perClient: number;
  windowSeconds: number;
  maxKeys?: number;
  now?: () => number;
}

/** Whose attempt: a user name (with its domain) when known, the client's address when known. */
export interface AttemptKeys { user?: string | undefined; client?: string | undefined }

export interface Attempt { readonly id: number; readonly keys: AttemptKeys }

/** ok: Keystone accepted; failed: Keystone refused; void: no answer (it does not count). */
export type Outcome = 'ok' | 'failed' | 'void';

interface Mark { id: number; at: number; client: string | undefined }

export const DEFAULT_MAX_KEYS = 10_000;

export class LoginLimiter {
  private readonly marks = new Map<string, Mark[]>();
  private nextId = 1;
  private readonly windowMs: number;
  private readonly maxKeys: number;
  private readonly now: () => number;

  constructor(private readonly o: LimiterOptions) {
    this.windowMs = o.windowSeconds * 1000;
    this.maxKeys = o.maxKeys ?? DEFAULT_MAX_KEYS;
    this.now = o.now ?? Date.now;
  }

  /** The tracked keys and their limits (a key without a limit is not tracked). */
  private limited(k: AttemptKeys): [string, number][] {
    const out: [string, number][] = [];
    if (k.user !== undefined && this.o.perUser > 0) out.push([`u\0${k.user}`, this.o.perUser]);
    if (k.client !== undefined && this.o.perClient > 0) out.push([`c\0${k.client}`, this.o.perClient]);
    return out;
  }

  /** The key's marks still inside the window, oldest first (a key left empty is dropped). */
  private live(key: string, now: number): Mark[] {
    const list = this.marks.get(key);
    if (!list) return [];
    const from = list.findIndex((m) => m.at > now - this.windowMs);
    const kept = from < 0 ? [] : from === 0 ? list : list.slice(from);
    if (kept.length === 0) this.marks.delete(key);
    else if (kept !== list) this.marks.set(key, kept);
    return kept;
  }

  /** Seconds until an attempt with these keys may be made; 0: now. */
  retryAfter(k: AttemptKeys): number {
    const now = this.now();
    let waitMs = 0;
    for (const [key, limit] of this.limited(k)) {
      const list = this.live(key, now);
      // refused until enough marks leave the window to bring the count below the limit
      if (list.length >= limit) waitMs = Math.max(waitMs, list[list.length - limit]!.at + this.windowMs - now);
    }
    return waitMs / 1000;
  }

  /** Counts an attempt now (as failed until settled otherwise). */
  begin(k: AttemptKeys): Attempt {
    const a: Attempt = { id: this.nextId++, keys: { user: k.user, client: k.client } };
    const now = this.now();
    for (const [key, limit] of this.limited(k)) {
      const list = this.live(key, now);
      this.marks.delete(key); // re-inserted last: the Map's order is least recently used first
      if (this.marks.size >= this.maxKeys) this.marks.delete(this.marks.keys().next().value!);
      // more than `limit` marks would refuse no longer
      this.marks.set(key, [...list, { id: a.id, at: now, client: k.client }].slice(-limit));
    }
    return a;
  }

  settle(a: Attempt, outcome: Outcome): void {
    if (outcome === 'failed') return;
    for (const [key] of this.limited(a.keys)) {
      const list = this.marks.get(key);
      if (!list) continue;
      const forgiven = (m: Mark) => m.id === a.id ||
        (outcome === 'ok' && key.startsWith('u\0') && a.keys.client !== undefined && m.client === a.keys.client);
      const kept = list.filter((m) => !forgiven(m));
      if (kept.length === 0) this.marks.delete(key);
      else this.marks.set(key, kept);
    }
  }

  /** How many keys are tracked (for tests of the memory bound). */
  get size(): number { return this.marks.size; }
}
