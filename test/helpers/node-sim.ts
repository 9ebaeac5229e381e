// The node simulator as a child process for tests that need clusters to become ready.
import { spawn } from 'node:child_process';
import { ROOT } from './service.js';

export interface RunningSim { lines: string[]; stop(): Promise<void> }

export async function startNodeSim(args: string[] = []): Promise<RunningSim> {
  const proc = spawn(`${ROOT}/scripts/local-cloud/node-sim`, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const lines: string[] = [];
  const exited = new Promise<void>((r) => proc.on('exit', () => r()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`node-sim did not start:\n${lines.join('\n')}`)), 20_000);
    const onData = (c: Buffer) => {
      for (const l of String(c).split('\n').filter(Boolean)) {
        lines.push(l);
        if (l.includes('watching Nova')) { clearTimeout(timer); resolve(); }
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    void exited.then(() => { clearTimeout(timer); reject(new Error(`node-sim exited:\n${lines.join('\n')}`)); });
  });
  return {
    lines,
    async stop() { try { process.kill(-proc.pid!, 'SIGTERM'); } catch { /* gone */ } await exited; },
  };
}
