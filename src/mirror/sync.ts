// Filling an artifact mirror (scripts/mirror-sync) for clouds whose nodes have no internet:
// every artifact the manifests declare, at the path nodes ask SM_MIRROR_URL for, downloaded
// from its upstream URL (or another mirror) and checked against the SHA-512 its manifest pins
// before it is put in place. What is already there and checks out is kept.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, renameSync, rmSync, type WriteStream } from 'node:fs';
import { dirname, join } from 'node:path';
import { Readable, Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import type { ArtifactDecl } from '../frameworks/manifest.js';

export type Outcome = 'present' | 'downloaded' | 'refused' | 'failed';
export interface Synced { name: string; path: string; outcome: Outcome; detail: string }

export interface SyncOptions {
  /** Another mirror to copy from (its base URL) instead of each artifact's upstream URL. */
  from?: string;
  fetch?: typeof fetch;
  /** Called as each artifact is done. */
  progress?: (s: Synced) => void;
}

/** The SHA-512 the manifest pins: of the file, or of its gunzipped content. */
export async function digestOf(file: string, of: ArtifactDecl['digest_of']): Promise<string> {
  const hash = createHash('sha512');
  const sink = new Writable({ write(chunk, _e, done) { hash.update(chunk as Buffer); done(); } });
  await (of === 'gunzip' ? pipeline(createReadStream(file), createGunzip(), sink) : pipeline(createReadStream(file), sink));
  return hash.digest('hex');
}

/** A mirror URL's user:password@ as a Basic Authorization header (fetch refuses them in a URL,
 * and they must never reach a message). */
export function withoutCredentials(source: string): { url: string; headers: Record<string, string> } {
  const u = new URL(source);
  if (!u.username && !u.password) return { url: source, headers: {} };
  const auth = Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString('base64');
  u.username = '';
  u.password = '';
  return { url: u.toString(), headers: { Authorization: `Basic ${auth}` } };
}

const checks = async (file: string, a: ArtifactDecl) => { try { return (await digestOf(file, a.digest_of)) === a.sha512; } catch { return false; } };

/** A stream that fails once more than `max` bytes went through (a declared size is a bound). */
function bounded(max: number | undefined): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _e, done) {
      seen += chunk.length;
      if (max !== undefined && seen > max) done(new Error(`more than the ${max} bytes its manifest declares`)); else done(null, chunk);
    },
  });
}

async function one(a: ArtifactDecl, dir: string, o: SyncOptions): Promise<Synced> {
  const target = join(dir, a.path);
  const done = (outcome: Outcome, detail: string): Synced => ({ name: a.name, path: a.path, outcome, detail });
  if (existsSync(target) && await checks(target, a)) return done('present', 'already there, checked');
  const { url: shown, headers } = withoutCredentials(o.from ? `${o.from.replace(/\/+$/, '')}/${a.path}` : a.url);
  const part = `${target}.part`;
  mkdirSync(dirname(target), { recursive: true });
  let file: WriteStream | undefined;
  try {
    const res = await (o.fetch ?? fetch)(shown, { redirect: 'follow', headers });
    if (!res.ok || !res.body) return done('failed', `${shown}: HTTP ${res.status}`);
    file = createWriteStream(part);
    await pipeline(Readable.fromWeb(res.body as import('node:stream/web').ReadableStream), bounded(a.size), file);
  } catch (e) {
    // a write stream still opening when the download failed creates the file after the
    // failure: removed once it has closed (else a partial file was left, seen in a test run)
    if (file && !file.closed) await new Promise<void>((r) => file!.once('close', () => r()));
    rmSync(part, { force: true });
    return done('failed', `${shown}: ${(e as Error).message.replace(/\/\/[^/@\s]*@/g, '//')}`);
  }
  if (!await checks(part, a)) {
    rmSync(part, { force: true });
    return done('refused', `${shown}: its SHA-512 is not the one its manifest pins (${a.sha512.slice(0, 16)}...)`);
  }
  renameSync(part, target);
  return done('downloaded', `from ${shown}`);
}

/** Every artifact into DIR, one at a time (they are large; the upstream sites are shared). */
export async function syncArtifacts(artifacts: readonly ArtifactDecl[], dir: string, o: SyncOptions = {}): Promise<Synced[]> {
  const out: Synced[] = [];
  for (const a of artifacts) {
    const s = await one(a, dir, o);
    o.progress?.(s);
    out.push(s);
  }
  return out;
}
