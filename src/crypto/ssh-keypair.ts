// SSH key pairs made by the service, not by Nova: Nova API 2.92 and later (Zed's Heat uses
// them) refuse to generate a key pair, and a private key that never passes through Nova or
// Heat is one less copy at rest. Ed25519, private key in OpenSSH's own file format
// (PROTOCOL.key: "openssh-key-v1", unencrypted), which every ssh client reads.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { registerSecret } from '../log/redact.js';

export interface SshKeyPair {
  /** "ssh-ed25519 AAAA... comment", for authorized_keys and OS::Nova::KeyPair public_key. */
  publicKey: string;
  /** "-----BEGIN OPENSSH PRIVATE KEY-----..." Store encrypted; never log. */
  privateKey: string;
}

const KEY_TYPE = 'ssh-ed25519';

function sshString(b: Buffer | string): Buffer {
  const data = typeof b === 'string' ? Buffer.from(b) : b;
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  return Buffer.concat([len, data]);
}

function uint32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}

export function generateSshKeyPair(comment = 'disco'): SshKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const pub = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
  const seed = Buffer.from(privateKey.export({ format: 'jwk' }).d!, 'base64url');
  const pubBlob = Buffer.concat([sshString(KEY_TYPE), sshString(pub)]);

  const check = randomBytes(4).readUInt32BE();
  let priv = Buffer.concat([
    uint32(check), uint32(check), sshString(KEY_TYPE), sshString(pub),
    sshString(Buffer.concat([seed, pub])), sshString(comment),
  ]);
  const pad = (8 - (priv.length % 8)) % 8;
  priv = Buffer.concat([priv, Buffer.from(Array.from({ length: pad }, (_, i) => i + 1))]);

  const file = Buffer.concat([
    Buffer.from('openssh-key-v1\0'), sshString('none'), sshString('none'), sshString(''),
    uint32(1), sshString(pubBlob), sshString(priv),
  ]);
  const body = file.toString('base64').match(/.{1,70}/g)!.join('\n');
  const privatePem = `-----BEGIN OPENSSH PRIVATE KEY-----\n${body}\n-----END OPENSSH PRIVATE KEY-----\n`;
  registerSecret(privatePem);
  return { publicKey: `${KEY_TYPE} ${pubBlob.toString('base64')} ${comment}`, privateKey: privatePem };
}
