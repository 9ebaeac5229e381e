// The dashboard in real Chromium against the real service and the local cloud (node-sim plays
// the nodes): sign in, plan and create a Hadoop + Spark cluster from the form, watch it reach
// ready without reloading, scale 2 -> 3, download the key, delete it and see it leave the list;
// refusals beside their field; another project and a reader; no secret in the page, the
// cookies scripts can read, or the logs; a forged cross-site post refused; axe-core on every
// page. Screenshots of each page go to the run's artifacts (artifactDir).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { openSession } from '../../src/api/dashboard/session.js';
import { SecretBox } from '../../src/crypto/secret-box.js';
import { artifactDir, launch, seriousViolations } from '../helpers/browser.js';
import { cloud, userOf, type Who } from '../helpers/cloud.js';
import { emptyLane } from '../helpers/heat.js';
import { startNodeSim, type RunningSim } from '../helpers/node-sim.js';
import { inProcess } from '../helpers/service.js';

/** This file's own project (20 instances: an over-quota create is refused). */
const LANE = 'dashboard';
const SHOTS = artifactDir('dashboard');
const TITLE = `web-${process.pid}`;
const { service, logs, env } = inProcess({ SM_CHANGES_POLL_MS: '300' });
/** Every Keystone token a sign-in here gave (read from the cookie with the service's key): none may reach the logs or a page. */
const tokens: string[] = [];
const box = () => new SecretBox(Buffer.from(readFileSync(join(env.SM_DATA_DIR!, 'secret.key'), 'utf8').trim(), 'base64'));
let base = '';
let server: Server;
let sim: RunningSim;
let browser: Browser;

before(async () => {
  await emptyLane(cloud(LANE).heat);
  [sim, browser] = await Promise.all([startNodeSim(['--project', LANE]), launch()]);
  await service.startWorker();
  server = service.app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  await browser?.close();
  server?.closeAllConnections();
  server?.close();
  await sim?.stop();
  await service.close();
});

/** The Content-Encoding of every change stream the pages opened (a page opens one beside its
 * session check: before sign-in that one is a 401, not counted). */
const streamEncodings: string[] = [];

async function signIn(who: Who): Promise<Page> {
  const [user, password, project] = userOf(who);
  const page = await (await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } })).newPage();
  page.on('response', (r) => { if (new URL(r.url()).pathname === '/disco/-/changes' && r.status() === 200) streamEncodings.push(r.headers()['content-encoding'] ?? 'identity'); });
  await page.goto(`${base}/dashboard/`);
  await page.getByLabel('User name').fill(user);
  await page.getByLabel('Password').fill(password);
  await page.getByLabel('Project').fill(project);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Clusters', exact: true }).waitFor();
  const cookie = (await page.context().cookies()).find((c) => c.name === 'disco_session');
  tokens.push(openSession(box(), `disco_session=${cookie?.value ?? ''}`)!.token);
  assert.ok(!(await page.content()).includes(tokens.at(-1)!), 'the token is not in the page');
  return page;
}

const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
async function accessible(page: Page, what: string): Promise<void> {
  const v = await seriousViolations(page);
  assert.deepEqual(v.map((x) => `${x.id} (${x.impact}): ${x.help} at ${JSON.stringify(x.nodes.map((n) => n.target))}`), [], `axe-core on ${what}`);
}
/** Records of the lane's project in the store (what the API would list). */
const records = async () => (await service.store.listIds()).length;
/** The cluster the first case makes; the next ones look at it, then delete it. */
let cluster: { id: string; page: Page } | undefined;

describe('the dashboard in Chromium', { concurrency: 1 }, () => {
  it('sign in, plan, create Hadoop + Spark, ready live, scale 2 -> 3, download the key', { timeout: 900_000 }, async () => {
    const signin = await (await browser.newContext()).newPage();
    await signin.goto(`${base}/dashboard/`);
    await signin.getByRole('button', { name: 'Sign in' }).waitFor();
    await shot(signin, '1-sign-in');
    await accessible(signin, 'the sign-in page');

    const page = await signIn(LANE);
    // the session cookie: HttpOnly (no script reads it), SameSite=Strict
    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === 'disco_session');
    assert.ok(session && session.httpOnly && session.sameSite === 'Strict', JSON.stringify(cookies.map((c) => ({ ...c, value: '...' }))));
    assert.equal(await page.evaluate(() => document.cookie), '', 'no cookie a script can read');

    await page.getByRole('link', { name: 'New cluster' }).first().click();
    await page.getByRole('heading', { name: 'New cluster' }).waitFor();
    await page.getByLabel('Name').fill(TITLE);
    await page.getByLabel('Workers', { exact: true }).fill('2');
    await page.getByLabel('spark').check();
    assert.equal(await page.getByLabel('hadoop').isChecked(), true, 'spark brings hadoop');
    await accessible(page, 'the create form');
    await page.getByRole('button', { name: 'Plan' }).click();
    const plan = page.getByRole('region', { name: 'Plan' });
    await plan.waitFor();
    const order = await plan.getByRole('listitem').allTextContents();
    assert.deepEqual(order.map((t) => t.split(/[ :]/)[0]), ['bootstrap', 'hadoop', 'spark'], 'frameworks in install order');
    assert.match(await plan.textContent() ?? '', /The project's quota holds this cluster/);
    await shot(page, '2-create-plan');
    await accessible(page, 'the plan');

    // a mark in this document: still there at ready means no reload came in between
    await page.evaluate(() => { (window as unknown as { notReloaded: boolean }).notReloaded = true; });
    await page.getByRole('button', { name: 'Create cluster' }).click();
    await page.getByRole('heading', { name: TITLE }).waitFor();
    const url = page.url();
    assert.match(url, /#\/clusters\/[0-9a-f-]{36}$/);
    // ready, without a reload (the change stream)
    const state = page.locator('main .state').first();
    await state.filter({ hasText: /^ready$/ }).waitFor({ timeout: 600_000 });
    assert.equal(page.url(), url);
    assert.equal(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded), true, 'ready without a reload');
    // the stream carries the list's fields only: the address comes from the whole record, read when the stream told of a new revision
    await page.locator('dl.facts dd').nth(5).filter({ hasText: /^\d+\.\d+\.\d+\.\d+$/ }).waitFor({ timeout: 30_000 });
    assert.ok(streamEncodings.length > 0 && streamEncodings.every((e) => e === 'gzip'), `the page's change stream came gzip-compressed: ${streamEncodings.join()}`);
    // the events, paged: 25 at a time, newest first
    const eventRows = page.locator('section[aria-labelledby="events-title"] tbody tr');
    assert.equal(await eventRows.count(), 25);
    const newest = await eventRows.first().textContent();
    await page.getByRole('button', { name: 'Older' }).click();
    assert.notEqual(await eventRows.first().textContent(), newest);
    await page.getByRole('button', { name: 'Newer' }).click();
    assert.equal(await eventRows.first().textContent(), newest);
    await page.getByRole('heading', { name: 'Timeline' }).waitFor();
    await shot(page, '3-cluster-ready');
    await accessible(page, 'the cluster page');

    await page.getByLabel('Workers', { exact: true }).fill('3');
    await page.getByRole('button', { name: 'Scale' }).click();
    await state.filter({ hasText: /^updating$/ }).waitFor({ timeout: 60_000 });
    await state.filter({ hasText: /^ready$/ }).waitFor({ timeout: 600_000 });
    await page.locator('dl.facts dd').nth(1).filter({ hasText: /^3$/ }).waitFor({ timeout: 30_000 });

    // the nodes: the master and the three workers, each having reported its frameworks
    const nodes = page.locator('section[aria-labelledby="nodes-title"] tbody tr');
    await nodes.nth(3).waitFor({ timeout: 30_000 });
    assert.equal(await nodes.count(), 4);
    assert.match(await nodes.first().textContent() ?? '', new RegExp(`${TITLE}-master.*spark done`));

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download the private key' }).click()]);
    assert.equal(download.suggestedFilename(), `disco-${TITLE}.key`);
    const key = readFileSync((await download.path())!, 'utf8');
    assert.match(key, /^-----BEGIN OPENSSH PRIVATE KEY-----\n[\s\S]+-----END OPENSSH PRIVATE KEY-----\n$/);
    // the key is downloaded, never part of the page
    assert.ok(!(await page.content()).includes('PRIVATE KEY-----'), 'no private key in the page source');
    assert.ok(!logs.some((l) => l.includes(key.split('\n')[1]!)), 'no private key in the logs');

    cluster = { id: url.split('/').pop()!, page };
  });

  it("another project sees none of this project's clusters; a reader sees no action and cannot act by crafted requests; a forged cross-site post is refused", { timeout: 300_000 }, async () => {
    const { id, page: owner } = cluster!;
    const other = await signIn('other');
    await other.locator('main table, main p:text-matches("No clusters yet")').first().waitFor();
    assert.equal(await other.locator(`[data-cluster="${TITLE}"]`).count(), 0);
    await other.goto(`${base}/dashboard/#/clusters/${id}`);
    await other.getByText(/gone/).waitFor();

    const reader = await signIn('dashboard-reader');
    await reader.locator(`[data-cluster="${TITLE}"]`).waitFor();
    assert.equal(await reader.getByRole('link', { name: 'New cluster' }).count(), 0, 'no create for a reader');
    await reader.goto(`${base}/dashboard/#/clusters/${id}`);
    await reader.getByRole('heading', { name: TITLE }).waitFor();
    await reader.getByText(/shown only to the user who created the cluster/).waitFor();
    for (const name of ['Scale', 'Suspend', 'Delete…', 'Set expiry', 'Download the private key']) {
      assert.equal(await reader.getByRole('button', { name }).count(), 0, `no ${name} for a reader`);
    }
    await shot(reader, '5-reader');
    await accessible(reader, "a reader's cluster page");
    // crafted requests with the reader's own valid session and CSRF token: refused by the policy
    const crafted = await reader.evaluate(async (cid) => {
      const s = await (await fetch('/dashboard/session')).json() as { csrf: string };
      const h = { 'Content-Type': 'application/occi+json', Accept: 'application/occi+json', 'X-CSRF-Token': s.csrf };
      const del = await fetch(`/disco/${cid}`, { method: 'DELETE', headers: h });
      const scale = await fetch(`/disco/${cid}?action=scale`, { method: 'POST', headers: h, body: JSON.stringify({ action: 'http://schemas.cloudcomplab.ch/occi/sm/action#scale', attributes: { 'icclab.disco.components.heat.slavecount': 2 } }) });
      return [del.status, scale.status];
    }, id);
    assert.deepEqual(crafted, [403, 403]);

    // a page of another origin posting a form to the API in the owner's browser: no CSRF token, refused
    const forger: Server = createServer((_req, res) => {
      res.setHeader('Content-Type', 'text/html');
      res.end(`<form id="f" method="POST" action="${base}/disco/${id}?action=suspend" enctype="text/plain"><input name='{"a":"' value='"}'></form><script>document.getElementById('f').submit()</script>`);
    });
    await new Promise<void>((r) => forger.listen(0, '127.0.0.1', r));
    const tab = await owner.context().newPage();
    const forged = tab.waitForResponse((r) => r.url().startsWith(`${base}/disco/`));
    await tab.goto(`http://127.0.0.1:${(forger.address() as AddressInfo).port}/`);
    const answer = await forged;
    // 127.0.0.1 on another port is the same site: the cookie goes along, and the missing CSRF token is what refuses it
    assert.equal(answer.status(), 403, 'a forged cross-site post is refused');
    assert.match(await answer.text(), /CSRF/);
    forger.close();
    await tab.close();
    const rec = await service.store.get(id);
    assert.equal(rec?.desired, 'present');
    assert.equal(rec?.state, 'ready', 'neither deleted, scaled nor suspended');
    await other.context().close();
    await reader.context().close();
  });

  it('delete with confirmation: the cluster leaves the list', { timeout: 600_000 }, async () => {
    const { page } = cluster!;
    await page.getByRole('link', { name: '← Clusters' }).click();
    const row = page.locator(`[data-cluster="${TITLE}"]`);
    await row.waitFor();
    // the row from the stream's summary and its deltas: the frameworks, the scaled workers, the flavors
    const cells = await row.getByRole('cell').allTextContents();
    assert.deepEqual(cells.slice(0, 4), [TITLE, 'ready', 'hadoop, spark', '3'], cells.join(' | '));
    assert.match(cells[4]!, /\S+ \/ \S+/);
    await shot(page, '4-list');
    await accessible(page, 'the list');
    await row.getByRole('link').click();
    // the expiry: a bad lifetime named beside its field, a good one kept
    await page.getByLabel('Lifetime (seconds after ready, or none)').fill('soon');
    await page.getByRole('button', { name: 'Set expiry' }).click();
    await page.locator('#lifetime-error').waitFor();
    await page.getByLabel('Lifetime (seconds after ready, or none)').fill('86400');
    await page.getByRole('button', { name: 'Set expiry' }).click();
    await page.getByRole('status').filter({ hasText: 'Expiry changed.' }).waitFor();
    assert.equal((await service.store.get(cluster!.id))?.lifetimeSeconds, 86400);
    await page.getByRole('button', { name: 'Delete…' }).click();
    await page.getByRole('button', { name: `Delete ${TITLE}` }).click();
    await page.getByRole('heading', { name: 'Clusters', exact: true }).waitFor();
    // listed as deleting while Heat deletes it, then gone, as the stream reports the record's end
    await row.locator('.state', { hasText: /^deleting$/ }).waitFor({ timeout: 60_000 });
    await row.waitFor({ state: 'detached', timeout: 540_000 });
    assert.equal(await service.store.get(cluster!.id), undefined, 'the record is gone, not only the row');
    await page.getByText(/No clusters yet/).waitFor();
    await page.context().close();
  });

  it('refusals are shown beside their field and make nothing: over quota, 3 DDFS replicas on 2 workers', { timeout: 120_000 }, async () => {
    const page = await signIn(LANE);
    const before = await records();
    await page.goto(`${base}/dashboard/#/new`);
    await page.getByLabel('Name').fill(`${TITLE}-big`);
    await page.getByLabel('Workers', { exact: true }).fill('25');
    await page.getByRole('button', { name: 'Create cluster' }).click();
    const workersError = page.locator('#a-icclab-disco-components-heat-slavecount-error');
    await workersError.waitFor();
    assert.match(await workersError.textContent() ?? '', /quota cannot hold this cluster/);
    assert.equal(await page.getByLabel('Workers', { exact: true }).getAttribute('aria-invalid'), 'true');
    await shot(page, '6-refused-quota');

    await page.getByLabel('Workers', { exact: true }).fill('2');
    await page.getByLabel('disco', { exact: true }).check();
    await page.getByLabel('replicas').fill('3');
    await page.getByRole('button', { name: 'Plan' }).click();
    const replicasError = page.locator('#a-icclab-disco-components-disco-replicas-error');
    await replicasError.waitFor();
    assert.match(await replicasError.textContent() ?? '', /DDFS keeps 3 replicas/);
    await accessible(page, 'a refused create');
    assert.equal(await records(), before, 'nothing was made');
    await page.context().close();
  });

  it('no secret in the logs: no password, no token, no cookie', () => {
    for (const who of [LANE, 'other', 'dashboard-reader'] as const) {
      const [, password] = userOf(who);
      assert.ok(!logs.some((l) => l.includes(password)), `no password of ${who} in the logs`);
    }
    assert.ok(tokens.length >= 4);
    assert.ok(!logs.some((l) => /disco_session=v2/.test(l) || tokens.some((t) => l.includes(t))), 'no session cookie or Keystone token in the logs');
  });
});
