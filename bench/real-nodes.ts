// POST to ready for a cluster of a master and 2 workers with bootstrap only (a small Debian
// package and a post_init), once on node-sim (the nodes only signal) and once on real nodes
// (scripts/local-cloud/node-runner: containers that boot the user_data under cloud-init and
// install for real), one after the other in the bench project.
import { setTimeout as sleep } from 'node:timers/promises';
import request from 'supertest';
import { cloud } from '../test/helpers/cloud.js';
import { waitForGone } from '../test/helpers/heat.js';
import { startNodeRunner, startNodeSim, type RunningSim } from '../test/helpers/node-sim.js';
import { icclabAttributes, inProcess, KIND_CATEGORY, passwordHeaders, textAttributes } from '../test/helpers/service.js';

const ATTRS = icclabAttributes(2, ', icclab.disco.components.bootstrap.packages="hello", icclab.disco.components.bootstrap.post_init="touch /etc/bench-ran"')
  .replace(/icclab\.disco\.dependencies\.inject="[^"]*"/, 'icclab.disco.dependencies.inject="{}"');

async function postToReady(nodes: () => Promise<RunningSim>, title: string): Promise<number> {
  const player = await nodes();
  const { service } = inProcess({ SM_LOG_LEVEL: 'warn' });
  const api = request(service.app);
  const who = passwordHeaders('bench');
  let path = '';
  try {
    await service.startWorker();
    const started = Date.now();
    const r = await api.post('/disco/').set('Category', KIND_CATEGORY).set('Content-Type', 'text/occi').set(who)
      .set('X-OCCI-Attribute', `${ATTRS}, occi.core.title="${title}"`);
    if (r.status !== 201) throw new Error(`POST: ${r.status} ${r.text}`);
    path = new URL(r.headers.location as string).pathname;
    for (;;) {
      const a = textAttributes((await api.get(path).set(who)).text);
      const state = a.get('icclab.disco.state');
      if (state === 'ready') return Date.now() - started;
      if (state === 'failed' || Date.now() - started > 900_000) throw new Error(`${title}: ${state} ${a.get('icclab.disco.message') ?? ''}`);
      await sleep(250);
    }
  } finally {
    if (path) {
      await api.delete(path).set(who);
      await waitForGone(cloud('bench').heat, `disco-${path.split('/')[2]}`, 300_000).catch(() => undefined);
    }
    await service.close();
    await player.stop();
  }
}

export async function measureRealNodes(): Promise<{ simMs: number; realMs: number }> {
  const simMs = await postToReady(() => startNodeSim(['--project', 'bench']), 'bench-sim');
  const realMs = await postToReady(() => startNodeRunner(['--project', 'bench']), 'bench-real');
  return { simMs, realMs };
}
