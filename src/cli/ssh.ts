// `disco ssh CLUSTER [-- command]`: the private key into a 0600 file of a fresh 0700
// directory, ssh as the reported user to the master's address, the directory removed after,
// whatever happens. ssh's own exit code is the command's.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Cluster } from '../client/cluster.js';

export class NoSsh extends Error { readonly code = 'NO_SSH'; }

export function sshArgs(c: Cluster, keyFile: string, knownHosts: string, command: string[]): string[] {
  if (!c.externalIp || !c.sshUser) throw new NoSsh(`${c.title} has no address yet (it is ${c.state})`);
  return ['-i', keyFile, '-o', 'IdentitiesOnly=yes', '-o', 'StrictHostKeyChecking=accept-new', '-o', `UserKnownHostsFile=${knownHosts}`,
    '-o', 'LogLevel=ERROR', `${c.sshUser}@${c.externalIp}`, ...(command.length ? ['--', ...command] : [])];
}

export async function ssh(c: Cluster, command: string[], o: { ssh?: string } = {}): Promise<number> {
  if (!c.privateKey?.startsWith('-----BEGIN')) throw new NoSsh(`the private key of ${c.title} is shown only to the user who created it`);
  const dir = mkdtempSync(join(tmpdir(), 'disco-ssh-'));
  try {
    const key = join(dir, 'key');
    writeFileSync(key, c.privateKey.endsWith('\n') ? c.privateKey : `${c.privateKey}\n`, { mode: 0o600 });
    const child = spawn(o.ssh ?? 'ssh', sshArgs(c, key, join(dir, 'known_hosts'), command), { stdio: 'inherit' });
    return await new Promise<number>((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 + 1 : 1)));
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
