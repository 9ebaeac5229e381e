// The `disco` command as tests run it: a user's OS_* variables (as an openrc sets them) and a
// child process that never blocks this one (the service it calls may run in this process).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { cloudEnv, userOf, type Who } from './cloud.js';
import { ROOT } from './service.js';

/** OS_* variables of one of the local cloud's users, and the service's URL. */
export function osEnv(who: Who, url: string, password?: string): Record<string, string> {
  const [user, pw, project] = userOf(who);
  return { OS_AUTH_URL: cloudEnv().OS_AUTH_URL, OS_USERNAME: user, OS_PASSWORD: password ?? pw, OS_PROJECT_NAME: project,
    OS_USER_DOMAIN_NAME: 'Default', OS_PROJECT_DOMAIN_NAME: 'Default', DISCO_URL: url };
}

export interface Exit { status: number | null; stdout: string; stderr: string }

/** A command, its output gathered; killed after timeoutMs. */
export function sh(command: string, args: string[], o: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number }): Promise<Exit> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: o.cwd, env: o.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => { stdout += String(c); });
    child.stderr.on('data', (c: Buffer) => { stderr += String(c); });
    const timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs);
    child.on('close', (status) => { clearTimeout(timer); resolve({ status, stdout, stderr }); });
  });
}

/** bin/disco.mjs as its own process, as a user runs it. */
export function discoBin(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<Exit> {
  return sh(process.execPath, [join(ROOT, 'bin/disco.mjs'), ...args], { cwd: ROOT, env, timeoutMs });
}
