// The node runner: the local cloud's servers are fake, so it gives each DISCO server a real
// node (nodes/ctl: a systemd container on a bridge per cluster network, seeded with the
// server's user_data for cloud-init). It watches Nova: an ACTIVE server whose user_data is a
// DISCO node script is booted; its floating IP is routed to it once Neutron has one; a
// server Nova no longer has is removed with its node, and a network no node is on. Only the
// servers of the projects named with --project when any is (tests side by side each run
// their own project's nodes; node-sim may play other projects'). Runs until stopped.
//   scripts/local-cloud/node-runner [--project NAME]... [--interval MS]
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { adminCloud, adminGet, projectIds, serverIds } from './node-sim-lib.js';
import { floatingIps, serverExists, serverFacts } from './node-runner-lib.js';

const CTL = fileURLToPath(new URL('./nodes/ctl', import.meta.url));
const run = promisify(execFile);

async function ctl(...args: string[]): Promise<string> {
  try {
    return (await run(CTL, args, { maxBuffer: 1 << 20 })).stdout;
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`nodes/ctl ${args[0]}: ${(err.stderr ?? '').trim().split('\n').slice(-3).join(' | ') || err.message}`);
  }
}

function parseArgs(argv: string[]): { projects: string[]; interval: number } {
  const projects: string[] = [];
  let interval = 1000;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--project' && argv[i + 1]) projects.push(argv[++i]!);
    else if (argv[i] === '--interval' && argv[i + 1]) interval = Number(argv[++i]);
    else { process.stderr.write('usage: node-runner [--project NAME]... [--interval MS]\n'); process.exit(2); }
  }
  return { projects, interval };
}

interface Booted { name: string; portId: string; fip?: string }

async function main(): Promise<void> {
  const { projects, interval } = parseArgs(process.argv.slice(2));
  const admin = adminCloud();
  const get = adminGet(admin);
  let only: string[] | undefined;
  try { only = projects.length ? await projectIds(admin, projects) : undefined; } catch (e) { process.stderr.write(`node-runner: ${(e as Error).message}\n`); process.exit(1); }
  const booted = new Map<string, Booted>();
  const other = new Set<string>();
  let stop = false;
  for (const s of ['SIGINT', 'SIGTERM'] as const) process.on(s, () => { stop = true; });
  console.log(`node-runner: watching Nova (${projects.length ? `projects ${projects.join(', ')}` : 'every project'})`);
  for (let round = 0; !stop; round++) {
    try {
      const ids = new Set(await serverIds(get, only));
      // only ACTIVE servers are read in full (one still building would be read every round)
      for (const id of await serverIds(get, only, { active: true })) {
        if (booted.has(id) || other.has(id)) continue;
        const f = await serverFacts(get, id);
        if (f === 'other') { other.add(id); continue; }
        if (!f) continue;
        const dir = mkdtempSync(join(tmpdir(), 'node-'));
        try {
          writeFileSync(join(dir, 'user-data'), f.userData, { mode: 0o600 });
          writeFileSync(join(dir, 'keys'), f.publicKeys.map((k) => `${k}\n`).join(''), { mode: 0o600 });
          await ctl('net-up', f.networkId, f.cidr, f.gateway);
          await ctl('node-up', f.id, f.name, f.networkId, f.ip, f.mac, join(dir, 'user-data'), join(dir, 'keys'));
        } finally { rmSync(dir, { recursive: true, force: true }); }
        booted.set(id, { name: f.name, portId: f.portId });
        console.log(`node-runner: ${f.name}: booting at ${f.ip}`);
      }
      let removed = false;
      const fips = [...booted.values()].some((n) => !n.fip) ? await floatingIps(get) : new Map<string, string>();
      for (const [id, n] of booted) {
        if (ids.has(id)) {
          const fip = fips.get(n.portId);
          if (!n.fip && fip) {
            await ctl('node-fip', id, fip);
            n.fip = fip;
            console.log(`node-runner: ${n.name}: floating IP ${fip}`);
          }
        } else if (!(await serverExists(get, id))) {
          await ctl('node-down', id);
          booted.delete(id);
          removed = true;
          console.log(`node-runner: ${n.name}: removed (Nova deleted its server)`);
        }
      }
      // nodes an earlier runner left behind, whose servers are gone
      if (round % 30 === 0) {
        for (const id of (await ctl('list')).split('\n').filter(Boolean)) {
          if (!booted.has(id) && !(await serverExists(get, id))) { await ctl('node-down', id); removed = true; }
        }
      }
      if (removed) await ctl('net-gc');
    } catch (err) {
      console.log(`node-runner: ${(err as Error).message}; trying again`);
    }
    await sleep(interval);
  }
  console.log('node-runner: stopped');
}

void main();
