// The node simulator: the local cloud's servers are fake and run no user_data, so this
// plays their bootstrap. It watches Nova, and for each ACTIVE server whose user_data is a
// DISCO node bootstrap it signals the node's wait condition as the real script would:
// SUCCESS, or FAILURE naming the first framework for servers whose name matches a --fail
// glob, nothing for those matching a --silent glob (nodes that never finish). Only the
// servers of the projects named with --project when any is (tests running side by side
// each play their own project's nodes). Looks every --interval ms (1000), every 3 x that
// after 30 s with nothing to do. Runs until stopped (SIGINT/SIGTERM).
//   scripts/local-cloud/node-sim [--project NAME]... [--fail GLOB]... [--silent GLOB]... [--drain-fail GLOB]... [--interval MS]
import { setTimeout as sleep } from 'node:timers/promises';
import { adminCloud, answerDrain, listNodes, projectIds, signalNode, type DrainChannel } from './node-sim-lib.js';

const glob = (g: string) => new RegExp(`^${g.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);

function parseArgs(argv: string[]): { fail: RegExp[]; silent: RegExp[]; drainFail: RegExp[]; interval: number; projects: string[] } {
  const fail: RegExp[] = [];
  const drainFail: RegExp[] = [];
  const silent: RegExp[] = [];
  const projects: string[] = [];
  let interval = 1000;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--fail' && argv[i + 1]) fail.push(glob(argv[++i]!));
    else if (a === '--silent' && argv[i + 1]) silent.push(glob(argv[++i]!));
    else if (a === '--drain-fail' && argv[i + 1]) drainFail.push(glob(argv[++i]!));
    else if (a === '--interval' && argv[i + 1]) interval = Number(argv[++i]);
    else if (a === '--project' && argv[i + 1]) projects.push(argv[++i]!);
    else { process.stderr.write('usage: node-sim [--project NAME]... [--fail GLOB]... [--silent GLOB]... [--drain-fail GLOB]... [--interval MS]\n'); process.exit(2); }
  }
  return { fail, silent, drainFail, interval, projects };
}

async function main(): Promise<void> {
  const { fail, silent, drainFail, interval, projects } = parseArgs(process.argv.slice(2));
  let admin;
  let only: string[] | undefined;
  try {
    admin = adminCloud();
    only = projects.length ? await projectIds(admin, projects) : undefined;
  } catch (e) { process.stderr.write(`node-sim: ${(e as Error).message}\n`); process.exit(1); }
  const done = new Set<string>();
  // masters that play their drain agent: channel, and the drains answered
  const drainers = new Map<string, { name: string; channel: DrainChannel; answered: Set<string> }>();
  let stop = false;
  // Nova is listed every `interval` while something happens, every 3 x `interval` after 30 s
  // of nothing (a list costs the local cloud ~56 ms of CPU; measured over whole runs, it saves
  // little, since a test's node-sim is seldom idle that long, but it costs nothing)
  let lastActivity = Date.now();
  let lastDrainLook = 0;
  for (const s of ['SIGINT', 'SIGTERM'] as const) process.on(s, () => { stop = true; });
  console.log(`node-sim: watching Nova (${projects.length ? `projects ${projects.join(', ')}` : 'every project'}); failing ${fail.length ? fail.map(String).join(', ') : 'nothing'}`);
  while (!stop) {
    try {
      for (const node of await listNodes(admin, only, done)) {
        if (node.status !== 'ACTIVE') continue;
        // a silent node is never looked at again (nor read in full every round)
        if (silent.some((g) => g.test(node.name))) { done.add(node.id); continue; }
        const ok = !fail.some((g) => g.test(node.name));
        lastActivity = Date.now();
        const sent = await signalNode(node, ok);
        if (sent.status < 300) {
          done.add(node.id);
          if (node.drain) drainers.set(node.id, { name: node.name, channel: node.drain, answered: new Set() });
          console.log(`node-sim: ${node.name}: ${ok ? 'SUCCESS' : `FAILURE (${sent.framework})`}`);
        } else {
          console.log(`node-sim: ${node.name}: the signal was answered ${sent.status}; trying again`);
        }
      }
      // drains every 5 x `interval`: a drain waits a few seconds more, Heat is asked a fifth as often (every
      // Hadoop master plays a drain agent for its whole life: by Heat's log, its heaviest poll after the service's)
      const drainsDue = Date.now() - lastDrainLook >= 5 * interval;
      if (drainsDue) lastDrainLook = Date.now();
      for (const [id, d] of drainsDue ? drainers : []) {
        const ok = !drainFail.some((g) => g.test(d.name));
        const answered = await answerDrain(d.channel, d.answered, ok);
        if (answered === 'gone') drainers.delete(id);
        else if (answered.length) {
          lastActivity = Date.now();
          for (const a of answered) console.log(`node-sim: ${d.name}: drain ${a}`);
        }
      }
    } catch (err) {
      console.log(`node-sim: ${(err as Error).message}; trying again`);
    }
    await sleep(Date.now() - lastActivity < 30_000 ? interval : 3 * interval);
  }
  console.log('node-sim: stopped');
}

void main();
