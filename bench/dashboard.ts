// The dashboard with 1,000 clusters, in real Chromium: how long from opening the page (signed
// in) until the list shows all of them, and how many bytes the first load transfers: the page,
// its code and styles (the target), and beside them the cluster data the change stream sends.
import { randomUUID } from 'node:crypto';
import { get as httpGet } from 'node:http';
import { createGunzip } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { dashboardAssets } from '../src/assets/dashboard-bundle.js';
import { launch } from '../test/helpers/browser.js';
import { userOf } from '../test/helpers/cloud.js';
import { icclabAttributes, inProcess, KIND_CATEGORY, passwordHeaders } from '../test/helpers/service.js';

const CLUSTERS = 1000;

/** dataKb: the change stream's first round as events; wireKb: the bytes it took on the wire (compressed). */
export interface DashboardFigures { listMs: number; streamMs: number; assetKb: number; dataKb: number; wireKb: number }

export async function measureDashboard(): Promise<DashboardFigures> {
  // the worker is not started: the records provision nothing
  const { service } = inProcess({ SM_LOG_LEVEL: 'warn', SM_MAX_CLUSTERS_PER_PROJECT: '100000' });
  const server = service.app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await launch();
  await dashboardAssets(); // bundled at start-up, as main.ts does
  const made: string[] = [];
  try {
    const r = await request(service.app).post('/disco/').set('Category', KIND_CATEGORY).set('Content-Type', 'text/occi')
      .set(passwordHeaders('bench')).set('X-OCCI-Attribute', `${icclabAttributes(2)}, occi.core.title="bench-list"`);
    if (r.status !== 201) throw new Error(`POST: ${r.status} ${r.text}`);
    const first = (await service.store.get(new URL(r.headers.location as string).pathname.split('/')[2]!))!;
    made.push(first.id);
    for (let i = 1; i < CLUSTERS; i++) {
      const id = randomUUID();
      await service.store.create({ ...first, id, spec: { ...first.spec, name: `bench-list-${i}` }, attributes: { ...first.attributes, 'occi.core.title': `bench-list-${i}` }, revision: undefined });
      made.push(id);
    }
    const page = await (await browser.newContext()).newPage();
    const [user, password, project] = userOf('bench');
    const signIn = await page.request.post(`${base}/dashboard/session`, { data: { user, password, project } });
    if (signIn.status() !== 201) throw new Error(`sign-in: ${signIn.status()}`);
    let assets = 0;
    page.on('response', (res) => {
      const u = new URL(res.url());
      if (u.pathname.startsWith('/dashboard/') && u.pathname !== '/dashboard/session') void res.body().then((b) => { assets += b.length; }, () => undefined);
    });
    await page.goto(`${base}/dashboard/`);
    // by the page's own clock: from the start of its navigation until every row is there
    const listMs = await (await page.waitForFunction((n) => (document.querySelectorAll('[data-cluster]').length >= n ? performance.now() : 0), CLUSTERS,
      { timeout: 60_000, polling: 'raf' })).jsonValue() as number;
    if (process.env.BENCH_DEBUG) {
      process.stdout.write(`${JSON.stringify(await page.evaluate(() => [performance.now(), ...performance.getEntries().map((e) => [e.name.replace(/^http:\/\/[^/]+/, ''), Math.round(e.startTime), Math.round(e.duration)])]))}\n`);
    }
    // the data: what one first round of the change stream sends for these clusters
    const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const t1 = Date.now();
    // the bytes on the wire, as Chromium asks for them (it accepts gzip), and what they decompress to
    const { wire, data } = await new Promise<{ wire: number; data: number }>((resolve, reject) => {
      const req = httpGet(`${base}/disco/-/changes`, { headers: { Cookie: cookie, 'Accept-Encoding': 'gzip, deflate, br' } }, (res) => {
        let wireBytes = 0;
        let plain = 0;
        let tail = '';
        const seen = (c: Buffer) => { plain += c.length; tail = (tail + String(c)).slice(-400); if (tail.includes('event: synced')) { req.destroy(); resolve({ wire: wireBytes, data: plain }); } };
        const gunzip = createGunzip().on('data', seen);
        res.on('data', (c: Buffer) => { wireBytes += c.length; if (res.headers['content-encoding'] === 'gzip') gunzip.write(c); else seen(c); });
      });
      req.on('error', (e) => { if (!req.destroyed) reject(e); });
    });
    return { listMs, streamMs: Date.now() - t1, assetKb: assets / 1024, dataKb: data / 1024, wireKb: wire / 1024 };
  } finally {
    await browser.close();
    server.closeAllConnections();
    server.close();
    for (const id of made) await service.store.delete(id);
    await service.close();
  }
}
