// Secrets at rest (application-credential secrets, the caller's token for the pending stack
// create, private keys, secret framework properties): AES-256-GCM, a fresh 96-bit IV per
// value, the record id as additional data so a ciphertext cannot be moved to another record.
//
// Keys carry an id (keyId: derived from the key, so the configuration names keys only by
// their base64) and a sealed value names the id of the key that sealed it:
//   v2:<key id>:<base64 of iv | tag | ciphertext>   (sealed today, with the current key)
//   v1:<base64 of iv | tag | ciphertext>             (older values: no id; still read)
// The box seals with its current key and opens with it or any older key it was given
// (SM_SECRET_KEYS), so keys can be rotated: reseal() moves a value to the current key.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const V1 = 'v1:';
const V2 = 'v2:';
const KEY_ID = /^[0-9a-f]{12}$/;

export class SecretBoxError extends Error {
  readonly code: string = 'SECRET_BOX';
}

/** Sealed values that no configured key opens: start-up stops with this (main.ts, exit 2). */
export class SecretKeyMismatchError extends SecretBoxError {
  override readonly code = 'SECRET_KEY_MISMATCH';
}

/**
 * A key's id: the first 12 hex digits of the SHA-256 of its 32 bytes. It names a key without
 * revealing it; in a shell: `printf %s "$KEY" | base64 -d | sha256sum | cut -c1-12`.
 */
export function keyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 12);
}

/** The key id a sealed value names: a string for v2 values, null for v1 ones (they name none), undefined when not sealed at all. */
export function sealedKeyId(sealed: string): string | null | undefined {
  if (sealed.startsWith(V1)) return null;
  if (!sealed.startsWith(V2)) return undefined;
  const id = sealed.slice(V2.length, V2.length + 12);
  return KEY_ID.test(id) && sealed[V2.length + 12] === ':' ? id : undefined;
}

interface Key { id: string; key: Buffer }

export class SecretBox {
  readonly #current: Key;
  /** The current key first, then the older ones, each once. */
  readonly #keys: Key[];

  /** `key` seals (and opens); `older` keys only open, for values sealed before a rotation. */
  constructor(key: Buffer, older: readonly Buffer[] = []) {
    for (const k of [key, ...older]) {
      if (k.length !== 32) throw new SecretBoxError('the secret key must be 32 bytes (base64 of 32 bytes)');
    }
    this.#current = { id: keyId(key), key };
    this.#keys = [this.#current];
    for (const k of older) if (!this.#keys.some((x) => x.key.equals(k))) this.#keys.push({ id: keyId(k), key: k });
  }

  /** The current key's id: what seal() names. */
  get keyId(): string { return this.#current.id; }
  /** The ids of the older keys it opens with (SM_SECRET_KEYS), in the order given. */
  get olderKeyIds(): string[] { return this.#keys.slice(1).map((k) => k.id); }
  /** Whether a key of this id is configured (current or older). */
  hasKey(id: string): boolean { return this.#keys.some((k) => k.id === id); }
  /** Whether a value is sealed in today's format with the current key (nothing for reseal() to do). */
  isCurrent(sealed: string): boolean { return sealedKeyId(sealed) === this.#current.id; }

  seal(plain: string, context: string): string {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.#current.key, iv);
    c.setAAD(Buffer.from(context));
    const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
    return `${V2}${this.#current.id}:${Buffer.concat([iv, c.getAuthTag(), body]).toString('base64')}`;
  }

  open(sealed: string, context: string): string {
    const id = sealedKeyId(sealed);
    if (id === undefined) throw new SecretBoxError('not a sealed value');
    if (id === null) {
      // v1 names no key: any configured key may have sealed it
      const raw = Buffer.from(sealed.slice(V1.length), 'base64');
      for (const k of this.#keys) {
        const plain = tryOpen(k.key, raw, context);
        if (plain !== undefined) return plain;
      }
      throw new SecretBoxError(`a sealed value (v1, naming no key) does not open with this key (wrong SM_SECRET_KEY?): ${this.configured()}`);
    }
    const candidates = this.#keys.filter((k) => k.id === id);
    if (!candidates.length) {
      throw new SecretBoxError(`a value sealed with key id ${id} does not open with this key (wrong SM_SECRET_KEY?): no configured key has id ${id}; ${this.configured()}`);
    }
    const raw = Buffer.from(sealed.slice(V2.length + 13), 'base64');
    for (const k of candidates) {
      const plain = tryOpen(k.key, raw, context);
      if (plain !== undefined) return plain;
    }
    throw new SecretBoxError(`a value sealed with key id ${id} does not open with this key: altered, or moved from another record`);
  }

  /** The value sealed again with the current key; the same string when it already is. */
  reseal(sealed: string, context: string): string {
    return this.isCurrent(sealed) ? sealed : this.seal(this.open(sealed, context), context);
  }

  /** "SM_SECRET_KEY is key id …; SM_SECRET_KEYS: key ids …" (ids only: never a key). */
  configured(): string {
    const older = this.olderKeyIds;
    return `SM_SECRET_KEY is key id ${this.#current.id}; SM_SECRET_KEYS: ${older.length ? `key ids ${older.join(', ')}` : 'none'}`;
  }
}

function tryOpen(key: Buffer, raw: Buffer, context: string): string | undefined {
  if (raw.length < 28) return undefined;
  const d = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
  d.setAAD(Buffer.from(context));
  d.setAuthTag(raw.subarray(12, 28));
  try {
    return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

/**
 * The key: from configuration when given; in embedded mode, else from (or generated into)
 * <dataDir>/secret.key; in production mode a missing key stops start-up.
 */
export function loadSecretKey(o: { configured: string | null; mode: 'embedded' | 'production'; dataDir: string }): Buffer {
  if (o.configured) return Buffer.from(o.configured, 'base64');
  if (o.mode === 'production') {
    throw new SecretBoxError('production mode needs a secret key: set SM_SECRET_KEY (base64 of 32 random bytes, ' +
      'e.g. `openssl rand -base64 32`) or secretKey in the configuration');
  }
  const file = join(o.dataDir, 'secret.key');
  if (!existsSync(file)) {
    mkdirSync(o.dataDir, { recursive: true, mode: 0o700 });
    writeFileSync(file, randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  }
  chmodSync(file, 0o600);
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  if (key.length !== 32) throw new SecretBoxError(`${file} does not hold a base64 32-byte key`);
  return key;
}

/** The older keys (SM_SECRET_KEYS, secretKeys): base64 of 32 bytes each; they only open. */
export function loadOlderKeys(configured: readonly string[]): Buffer[] {
  return configured.map((s, i) => {
    const k = Buffer.from(s.trim(), 'base64');
    if (k.length !== 32) throw new SecretBoxError(`SM_SECRET_KEYS (secretKeys): entry ${i + 1} is not base64 of 32 bytes`);
    return k;
  });
}
