// ssh from the host to a node, as a user of the service would: the private key GET gave,
// no host key prompts (a new cluster's host keys are new), never a password prompt.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface Ran { code: number; stdout: string; stderr: string }

/** A private key in a file of its own (ssh refuses keys others can read). */
export function keyFile(privateKey: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'key-')), 'id');
  writeFileSync(path, privateKey.endsWith('\n') ? privateKey : `${privateKey}\n`, { mode: 0o600 });
  return path;
}

/** `input`, when given, is the remote command's stdin (a script for `bash -s`: no quoting).
 * `netns`, when given, is the network namespace ssh runs in (a node's own, to reach a private
 * address: the host has routes to floating IPs only). */
export function ssh(key: string, target: string, command: string, timeoutMs = 60_000, input?: string, netns?: string): Promise<Ran> {
  const args = ['-i', key, '-o', 'IdentitiesOnly=yes', '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=no',
    '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR', '-o', 'ConnectTimeout=10', target, command];
  const program = netns ? 'ip' : 'ssh';
  const argv = netns ? ['netns', 'exec', netns, 'ssh', ...args] : args;
  return new Promise((resolve) => {
    const child = execFile(program, argv, { timeout: timeoutMs, maxBuffer: 4 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 255) : 0;
      resolve({ code, stdout, stderr });
    });
    child.stdin?.end(input ?? '');
  });
}

/** ssh once sshd answers (a node that just signalled may still be starting other units). */
export async function sshWhenUp(key: string, target: string, command: string, ms = 60_000, input?: string, netns?: string): Promise<Ran> {
  const deadline = Date.now() + ms;
  for (;;) {
    const r = await ssh(key, target, command, 60_000, input, netns);
    if (r.code !== 255 || Date.now() > deadline) return r;
    await sleep(1000);
  }
}
