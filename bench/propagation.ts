// State propagation on the local cloud: how long after Heat shows a change does the
// record (what GET serves) show it. The bench polls Heat and the store every 50 ms and
// compares when each first showed the stack complete / the cluster ready, on a create.
import { setTimeout as sleep } from 'node:timers/promises';
import request from 'supertest';
import { NotFoundError } from '../src/openstack/index.js';
import { cloud } from '../test/helpers/cloud.js';
import { startNodeSim } from '../test/helpers/node-sim.js';
import { icclabAttributes, inProcess, KIND_CATEGORY, passwordHeaders } from '../test/helpers/service.js';

export async function measurePropagation(): Promise<{ createMs: number; deleteMs: number }> {
  const sim = await startNodeSim();
  const { service } = inProcess({ SM_LOG_LEVEL: 'warn', SM_POLL_INITIAL_MS: '1000', SM_POLL_MAX_MS: '15000' });
  const os = cloud('bench');
  try {
    await service.startWorker();
    const r = await request(service.app).post('/disco/').set('Category', KIND_CATEGORY).set('Content-Type', 'text/occi')
      .set(passwordHeaders('bench')).set('X-OCCI-Attribute', `${icclabAttributes(1)}, occi.core.title="bench-propagation"`);
    if (r.status !== 201) throw new Error(`POST: ${r.status} ${r.text}`);
    const id = new URL(r.headers.location as string).pathname.split('/')[2]!;
    const watch = async (heatSays: () => Promise<boolean>, recordSays: () => Promise<boolean>) => {
      let heatAt = 0; let recordAt = 0;
      const deadline = Date.now() + 300_000;
      while (!recordAt || !heatAt) {
        if (Date.now() > deadline) throw new Error('no change within 5 minutes');
        if (!heatAt && await heatSays()) heatAt = Date.now();
        if (!recordAt && await recordSays()) recordAt = Date.now();
        await sleep(50);
      }
      return Math.max(0, recordAt - heatAt);
    };
    const status = async () => { try { return (await os.heat.getStack(`disco-${id}`)).status; } catch (e) { if (e instanceof NotFoundError) return 'GONE'; throw e; } };
    const createMs = await watch(async () => (await status()) === 'CREATE_COMPLETE', async () => (await service.store.get(id))?.state === 'ready');
    const d = await request(service.app).delete(`/disco/${id}`).set(passwordHeaders('bench'));
    if (d.status !== 200) throw new Error(`DELETE: ${d.status}`);
    const deleteMs = await watch(async () => (await status()) === 'GONE', async () => { const rec = await service.store.get(id); return rec === undefined || rec.state === 'deleted'; });
    return { createMs, deleteMs };
  } finally {
    await service.close();
    await sim.stop();
  }
}
