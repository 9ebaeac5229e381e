// Secrets at rest (application-credential secrets, the caller's token for the pending stack
// create, private keys): AES-256-GCM, a fresh 96-bit IV per value, the record id as
// additional data so a ciphertext cannot be moved to another record.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const PREFIX = 'v1:';

export class SecretBoxError extends Error {
  readonly code = 'SECRET_BOX';
}

export class SecretBox {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new SecretBoxError('the secret key must be 32 bytes (base64 of 32 bytes)');
    this.#key = key;
  }

  seal(plain: string, context: string): string {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.#key, iv);
    c.setAAD(Buffer.from(context));
    const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
    return PREFIX + Buffer.concat([iv, c.getAuthTag(), body]).toString('base64');
  }

  open(sealed: string, context: string): string {
    if (!sealed.startsWith(PREFIX)) throw new SecretBoxError('not a sealed value');
    const raw = Buffer.from(sealed.slice(PREFIX.length), 'base64');
    const d = createDecipheriv('aes-256-gcm', this.#key, raw.subarray(0, 12));
    d.setAAD(Buffer.from(context));
    d.setAuthTag(raw.subarray(12, 28));
    try {
      return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8');
    } catch {
      throw new SecretBoxError('a sealed value does not open with this key (wrong SM_SECRET_KEY?)');
    }
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
