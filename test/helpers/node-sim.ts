// The node simulator, or the node runner (real nodes), as a child process for tests that
// need clusters to become ready.
import { spawn } from 'node:child_process';
import { ROOT } from './service.js';

export interface RunningSim { lines: string[]; stop(): Promise<void> }

export function startNodeSim(args: string[] = []): Promise<RunningSim> {
  return startWatcher('node-sim', args);
}

/** Real nodes for the servers of the projects named with --project (scripts/local-cloud/node-runner). */
export function startNodeRunner(args: string[] = []): Promise<RunningSim> {
  return startWatcher('node-runner', args);
}

async function startWatcher(name: 'node-sim' | 'node-runner', args: string[]): Promise<RunningSim> {
  const proc = spawn(`${ROOT}/scripts/local-cloud/${name}`, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const lines: string[] = [];
  const exited = new Promise<void>((r) => proc.on('exit', () => r()));
  await new Promise<void>((resolve, reject) => {
    // the runner may build the nodes' image first (about 30 s)
    const timer = setTimeout(() => reject(new Error(`${name} did not start:\n${lines.join('\n')}`)), 120_000);
    const onData = (c: Buffer) => {
      for (const l of String(c).split('\n').filter(Boolean)) {
        lines.push(l);
        if (l.includes('watching Nova')) { clearTimeout(timer); resolve(); }
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    void exited.then(() => { clearTimeout(timer); reject(new Error(`${name} exited:\n${lines.join('\n')}`)); });
  });
  return {
    lines,
    async stop() { try { process.kill(-proc.pid!, 'SIGTERM'); } catch { /* gone */ } await exited; },
  };
}
