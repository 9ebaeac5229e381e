// The CLI's Keystone tokens, kept between commands so that `disco list; disco show x` logs in
// once: one 0600 file ($XDG_CACHE_HOME/disco/tokens.json, else ~/.cache/disco/, the folder 0700)
// holding a token per cloud and user, keyed by a digest of the auth URL, the credentials and
// the scope (never the credentials themselves: another password is another entry). A token is
// used until five minutes before it expires; one the service refuses is dropped (main.ts).
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Login } from './credentials.js';

type Env = Record<string, string | undefined>;
interface Entry { token: string; expiresAt: string }

/** Reused until this long before the token expires: a command that waits for a cluster outlives a few minutes. */
export const MARGIN_MS = 5 * 60_000;
const MAX_ENTRIES = 100;

export function tokenCacheFile(env: Env): string {
  return join(env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache'), 'disco', 'tokens.json');
}

/** The entry's key: the same cloud, user, secret and scope give the same key, and nothing else does. */
export function cacheKey(login: Login): string {
  return createHash('sha256').update(JSON.stringify([login.authUrl.replace(/\/+$/, ''), login.credentials, login.scope ?? null])).digest('hex');
}

export class TokenCache {
  constructor(private readonly file: string, private readonly now: () => number = Date.now) {}

  /** The kept token for these credentials, if it has more than MARGIN_MS to live. */
  get(login: Login): string | undefined {
    const e = this.read()[cacheKey(login)];
    return e && Date.parse(e.expiresAt) - MARGIN_MS > this.now() ? e.token : undefined;
  }

  put(login: Login, token: string, expiresAt: Date): void {
    this.write({ ...this.read(), [cacheKey(login)]: { token, expiresAt: expiresAt.toISOString() } });
  }

  drop(login: Login): void {
    const all = this.read();
    const key = cacheKey(login);
    if (!(key in all)) return;
    delete all[key];
    this.write(all);
  }

  private read(): Record<string, Entry> {
    let doc: unknown;
    try { doc = JSON.parse(readFileSync(this.file, 'utf8')); } catch { return {}; } // none yet, or unreadable: log in
    if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return {};
    const out: Record<string, Entry> = {};
    for (const [k, v] of Object.entries(doc as Record<string, unknown>)) {
      const e = v as Partial<Entry> | null;
      if (e && typeof e.token === 'string' && typeof e.expiresAt === 'string') out[k] = { token: e.token, expiresAt: e.expiresAt };
    }
    return out;
  }

  /** Expired entries go; written to a 0600 file beside it, then renamed over: never a half-written or readable-by-others file.
   * A cache that cannot be written (a read-only home) is no cache: the command still runs, logging in each time. */
  private write(all: Record<string, Entry>): void {
    try { this.writeFile(all); } catch { /* see above */ }
  }

  private writeFile(all: Record<string, Entry>): void {
    const live = Object.entries(all).filter(([, e]) => Date.parse(e.expiresAt) > this.now()).slice(-MAX_ENTRIES);
    mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
    chmodSync(dirname(this.file), 0o700);
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(Object.fromEntries(live))}\n`, { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, this.file);
  }
}
