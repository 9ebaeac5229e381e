// Our OpenSSH private key file must be one that OpenSSH itself reads: ssh-keygen derives
// the public key from it, and that must be the public key we hand to Nova.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { generateSshKeyPair } from '../../src/crypto/ssh-keypair.js';

test('ssh-keygen reads the private key and derives the same public key', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sshkey-'));
  try {
    for (const comment of ['disco', 'cluster-0123456789abcdef', 'x']) { // pads of several lengths
      const kp = generateSshKeyPair(comment);
      const file = join(dir, 'id');
      writeFileSync(file, kp.privateKey, { mode: 0o600 });
      const derived = execFileSync('ssh-keygen', ['-y', '-f', file], { encoding: 'utf8' }).trim();
      assert.equal(derived.split(' ').slice(0, 2).join(' '), kp.publicKey.split(' ').slice(0, 2).join(' '));
      assert.match(kp.publicKey, new RegExp(`^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5[A-Za-z0-9+/=]+ ${comment}$`));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('every key pair is new', () => {
  assert.notEqual(generateSshKeyPair().privateKey, generateSshKeyPair().privateKey);
});
