// A value sealed as the service sealed before key ids ("v1:" iv | tag | ciphertext, base64),
// written out here by hand so tests of the newer code read the old format independently of it.
import { createCipheriv, randomBytes } from 'node:crypto';

export function sealV1(key: Buffer, plain: string, context: string): string {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  c.setAAD(Buffer.from(context));
  const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
  return `v1:${Buffer.concat([iv, c.getAuthTag(), body]).toString('base64')}`;
}
