// The dashboard's server side, over HTTP against the local cloud's Keystone: the page and its
// strict CSP, sign-in into a sealed HttpOnly SameSite=Strict cookie, the cookie standing in for
// X-Auth-Token with the CSRF token required for changes, the project lookups a create form
// needs, the change stream (store revisions as server-sent events: summaries, then deltas;
// gzip), roles, and sign-out revoking the token. The worker is not started: records provision nothing.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { get as httpGet, type IncomingHttpHeaders } from 'node:http';
import { createGunzip } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SecretBox } from '../../src/crypto/secret-box.js';
import { openSession } from '../../src/api/dashboard/session.js';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { cloudEnv, userOf } from '../helpers/cloud.js';
import { createCluster, inProcess, passwordHeaders } from '../helpers/service.js';
import { changes } from '../../src/client/changes.js';
import { DiscoClient } from '../../src/client/client.js';
import type { Cluster } from '../../src/client/cluster.js';
import { SUMMARY_FIELDS } from '../../src/client/summary.js';

const { service, logs, env } = inProcess({ SM_CHANGES_POLL_MS: '100' });
/** The service's own key (embedded mode made it in the data directory): the test opens the cookie with it to know the token. */
const box = () => new SecretBox(Buffer.from(readFileSync(join(env.SM_DATA_DIR!, 'secret.key'), 'utf8').trim(), 'base64'));
const tokenOf = (s: { cookie: string }) => openSession(box(), s.cookie)!.token;
let base = '';
let close: () => void = () => undefined;
const made: string[] = [];

before(async () => {
  const server = service.app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => { server.closeAllConnections(); server.close(); };
  made.push((await createCluster(service.app, passwordHeaders('demo'))).split('/')[2]!);
});
after(async () => {
  for (const id of made) await service.store.delete(id);
  close();
  await service.close();
});

interface Signed { cookie: string; csrf: string; info: Record<string, unknown>; setCookie: string }

async function signIn(who: Parameters<typeof userOf>[0]): Promise<Signed> {
  const [user, password, project] = userOf(who);
  const r = await fetch(`${base}/dashboard/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ user, password, project }) });
  assert.equal(r.status, 201, await r.clone().text());
  const setCookie = r.headers.get('set-cookie') ?? '';
  const info = await r.json() as Record<string, unknown>;
  return { cookie: setCookie.split(';')[0]!, csrf: String(info.csrf), info, setCookie };
}

const call = (s: Signed | undefined, method: string, path: string, o: { csrf?: boolean; body?: unknown; headers?: Record<string, string> } = {}) =>
  fetch(`${base}${path}`, { method, headers: { Accept: 'application/occi+json', ...(s ? { Cookie: s.cookie } : {}), ...(s && o.csrf ? { 'X-CSRF-Token': s.csrf } : {}),
    ...(o.body === undefined ? {} : { 'Content-Type': 'application/occi+json' }), ...o.headers }, ...(o.body === undefined ? {} : { body: JSON.stringify(o.body) }) });

test('the page and its code come with a strict CSP, from this origin only, and hold no secret', async () => {
  for (const path of ['/dashboard/', '/dashboard/app.js', '/dashboard/app.css']) {
    const r = await fetch(`${base}${path}`);
    assert.equal(r.status, 200, path);
    const csp = r.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self'(;|$)/, 'no inline or eval scripts');
    assert.match(csp, /frame-ancestors 'none'/);
    const text = await r.text();
    const elsewhere = text.match(/https?:\/\/(?!schemas\.cloudcomplab\.ch|www\.w3\.org)[\w.-]+/gi);
    assert.equal(elsewhere, null, `${path} names no other origin`);
    assert.ok(!text.includes(cloudEnv().OS_PASSWORD), `${path} holds no password`);
  }
  const again = await fetch(`${base}/dashboard/app.js`, { headers: { 'If-None-Match': (await fetch(`${base}/dashboard/app.js`)).headers.get('etag')! } });
  assert.equal(again.status, 304);
  assert.equal((await fetch(`${base}/dashboard`, { redirect: 'manual' })).headers.get('location'), '/dashboard/');
});

test('sign-in: JSON only; a wrong password is a 401 with no cookie; a right one a sealed HttpOnly SameSite=Strict cookie', async () => {
  const [user, password, project] = userOf('demo');
  const form = await fetch(`${base}/dashboard/session`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: `user=${user}&password=${password}&project=${project}` });
  assert.equal(form.status, 415, 'a form another site posts cannot sign anyone in');
  const wrong = await fetch(`${base}/dashboard/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ user, password: `${password}x`, project }) });
  assert.equal(wrong.status, 401);
  assert.equal(wrong.headers.get('set-cookie'), null);
  const missing = await fetch(`${base}/dashboard/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ user, project }) });
  assert.equal(missing.status, 400);
  assert.match(await missing.text(), /password/);

  const s = await signIn('demo');
  assert.match(decodeURIComponent(s.setCookie), /^disco_session=v2:[0-9a-f]{12}:/, 'sealed by the secret box');
  assert.match(s.setCookie, /HttpOnly/);
  assert.match(s.setCookie, /SameSite=Strict/);
  assert.match(s.setCookie, /Path=\//);
  const token = tokenOf(s);
  assert.ok(token.length > 20);
  assert.ok(!s.setCookie.includes(password) && !s.setCookie.includes(token), 'neither the password nor the token in clear');
  assert.equal(s.info.user, user);
  assert.equal(s.info.project, project);
  assert.equal(typeof s.info.csrf, 'string');
  assert.ok(!JSON.stringify(s.info).includes(token), 'the page is never told the token');
  assert.equal((s.info.may as Record<string, boolean>)['disco:create'], true);
  const who = await (await call(s, 'GET', '/dashboard/session')).json() as Record<string, unknown>;
  assert.equal(who.csrf, s.csrf);
  assert.equal((await fetch(`${base}/dashboard/session`)).status, 401, 'no cookie, no session');
  assert.ok(!logs.some((l) => l.includes(password) || l.includes(token) || l.includes(s.cookie.slice(15, 60))), 'neither the password, the token nor the cookie in the logs');
});

test('the cookie stands in for a token: reads as it is; a change without the CSRF token is refused and makes nothing', async () => {
  const s = await signIn('demo');
  const list = await call(s, 'GET', '/disco/');
  assert.equal(list.status, 200);
  const ids = ((await list.json()) as { resources: { id: string }[] }).resources.map((r) => r.id);
  assert.ok(ids.includes(made[0]!));
  const create = { kind: 'http://schemas.cloudcomplab.ch/occi/sm#disco', mixins: [], attributes: { 'occi.core.title': `csrf-${Date.now()}` } };
  const forged = await call(s, 'POST', '/disco/', { body: create });
  assert.equal(forged.status, 403);
  assert.match(await forged.text(), /CSRF/);
  const wrongToken = await call(s, 'POST', '/disco/', { body: create, headers: { 'X-CSRF-Token': `${s.csrf}x` } });
  assert.equal(wrongToken.status, 403);
  assert.equal((await call(s, 'DELETE', `/disco/${made[0]}`)).status, 403, 'a forged delete deletes nothing');
  assert.equal((await service.store.get(made[0]!))?.desired, 'present');
  const after = ((await (await call(s, 'GET', '/disco/')).json()) as { resources: unknown[] }).resources.length;
  assert.equal(after, ids.length, 'nothing was made');
  // the dry run checks the quota: in bulk, which has room whatever the other files run in demo
  const bulk = await signIn('bulk');
  const plan = await call(bulk, 'POST', '/disco/', { csrf: true, body: { ...create, attributes: { ...create.attributes, 'icclab.disco.dryrun': true } } });
  assert.equal(plan.status, 200, await plan.clone().text());
  assert.equal(((await plan.json()) as { dryrun: boolean }).dryrun, true);
  const refused = await call(bulk, 'POST', '/disco/', { csrf: true, body: { ...create, attributes: { ...create.attributes, 'icclab.disco.components.heat.slavecount': 'many' } } });
  assert.equal(refused.status, 400);
  assert.equal(((await refused.json()) as { error: { attribute: string } }).error.attribute, 'icclab.disco.components.heat.slavecount', 'the refusal names its attribute');
});

test('the project lookups a create form offers: flavors, images, external networks', async () => {
  const s = await signIn('demo');
  const e = cloudEnv();
  const get = async (what: string) => { const r = await call(s, 'GET', `/project/${what}`); assert.equal(r.status, 200, what); return (await r.json() as Record<string, { name: string }[]>)[what]!; };
  assert.ok((await get('flavors')).some((f) => f.name === e.LOCAL_CLOUD_FLAVOR));
  assert.ok((await get('images')).some((i) => i.name === e.LOCAL_CLOUD_IMAGE));
  assert.ok((await get('external-networks')).some((n) => n.name === e.LOCAL_CLOUD_EXTERNAL_NETWORK));
  assert.equal((await fetch(`${base}/project/flavors`)).status, 401);
});

/** Reads a change stream until `until` says stop; the events seen. */
type Ev = { event: string; data: Record<string, unknown> };
/** Reads a change stream until `until` says stop; `step` may act on what was seen so far (once per read). */
async function stream(s: Signed, until: (events: Ev[]) => boolean, step?: (events: Ev[]) => Promise<void>) {
  const ac = new AbortController();
  const r = await fetch(`${base}/disco/-/changes`, { headers: { Cookie: s.cookie, Accept: 'text/event-stream' }, signal: ac.signal });
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type') ?? '', /^text\/event-stream/);
  const events: Ev[] = [];
  const reader = r.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buf = '';
  const timer = setTimeout(() => ac.abort(), 15_000);
  try {
    while (!until(events)) {
      await step?.(events);
      const { value, done } = await reader.read();
      if (done) break;
      buf += value;
      for (let i = buf.indexOf('\n\n'); i >= 0; i = buf.indexOf('\n\n')) {
        const block = buf.slice(0, i); buf = buf.slice(i + 2);
        const ev = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (ev && data) events.push({ event: ev, data: JSON.parse(data) as Record<string, unknown> });
      }
    }
  } finally { clearTimeout(timer); ac.abort(); }
  return events;
}

test('the change stream: every cluster\'s summary, then synced, then deltas of only what changed, and each record gone; another project sees none of them', async () => {
  const s = await signIn('demo');
  const extra = randomUUID();
  const first = (await service.store.get(made[0]!))!;
  await service.store.create({ ...first, id: extra, revision: undefined });
  made.push(extra);
  // (a copy's sealed secrets are bound to the first one's id: GET reads the first one)
  const got = await call(s, 'GET', `/disco/${made[0]}`);
  assert.equal(got.status, 200);
  const whole = await got.text();
  const deltas = (ev: Ev[]) => ev.filter((e) => e.event === 'delta' && e.data.id === extra);
  let stage = 0;
  const events = await stream(s, (ev) => ev.some((e) => e.event === 'gone' && e.data.id === extra), async (ev) => {
    if (stage === 0 && ev.some((e) => e.event === 'synced')) { stage = 1; await service.store.update(extra, (r) => ({ ...r, message: 'changed by the test' })); }
    // a change of nothing the list shows (the stack's status): told as id and revision alone
    if (stage === 1 && deltas(ev).length === 1) { stage = 2; await service.store.update(extra, (r) => ({ ...r, stackStatus: 'CREATE_IN_PROGRESS' })); }
    if (stage === 2 && deltas(ev).length === 2) { stage = 3; await service.store.update(extra, (r) => ({ ...r, state: 'deploying', message: null })); }
    if (stage === 3 && deltas(ev).length === 3) { stage = 4; await service.store.delete(extra); }
  });
  const synced = events.findIndex((e) => e.event === 'synced');
  assert.equal(events[0]?.event, 'snapshot');
  assert.equal(synced, 1);
  const snapshot = events[0]!.data as unknown as Record<string, unknown>[];
  assert.ok(snapshot.some((r) => r.id === made[0]) && snapshot.some((r) => r.id === extra), 'the snapshot is every cluster');
  assert.equal(events[1]!.data.clusters, snapshot.length);
  // the list's own fields, not the whole resource
  const mine = snapshot.find((r) => r.id === extra)!;
  assert.equal(mine.title, first.spec.name);
  assert.equal(mine.state, first.state);
  assert.equal(mine.revision, 1);
  assert.deepEqual(Object.keys(mine).filter((k) => !['id', 'revision', ...SUMMARY_FIELDS].includes(k)), [], 'no field but the summary\'s');
  const summed = JSON.stringify(snapshot.find((r) => r.id === made[0]));
  assert.ok(summed.length * 3 < whole.length, `a summary of ${summed.length} bytes, the resource ${whole.length}`);
  // after it, only what changed, with the new revision
  assert.deepEqual(deltas(events).map((e) => e.data), [
    { id: extra, revision: 2, message: 'changed by the test' },
    { id: extra, revision: 3 },
    { id: extra, revision: 4, state: 'deploying', message: null },
  ]);
  assert.ok(!events.some((e) => e.event === 'cluster'), 'no whole resource after the snapshot');
  assert.ok(!JSON.stringify(events).includes('BEGIN OPENSSH PRIVATE KEY'), 'no private key in the stream');

  const other = await signIn('other');
  const theirs = await stream(other, (ev) => ev.some((e) => e.event === 'synced'));
  assert.ok(!JSON.stringify(theirs).includes(made[0]!), "another project's stream holds none of demo's clusters");
});

test("the CLI's reading of the stream (Node's fetch, gzip): a delta comes as the cluster it changed, the fields it did not name kept", async () => {
  const s = await signIn('demo');
  const id = randomUUID();
  const first = (await service.store.get(made[0]!))!;
  await service.store.create({ ...first, id, message: 'at first', revision: undefined });
  made.push(id);
  const encodings: (string | null)[] = [];
  const client = new DiscoClient({ baseUrl: base, auth: { token: tokenOf(s) },
    fetch: async (...a) => { const r = await fetch(...a); encodings.push(r.headers.get('content-encoding')); return r; } });
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), 15_000);
  const seen: Cluster[] = [];
  try {
    for await (const ch of changes(client, ac.signal)) {
      if (ch.type === 'synced') await service.store.update(id, (r) => ({ ...r, state: 'deploying', progress: { nodes: 3, serversUp: 1, installed: 0 } }));
      if (ch.type === 'cluster' && ch.cluster.id === id) { seen.push(ch.cluster); break; }
    }
  } finally { clearTimeout(timer); ac.abort(); }
  assert.deepEqual(encodings, ['gzip'], 'Node\'s fetch asks for gzip and gets it');
  const c = seen[0]!;
  assert.deepEqual([c.state, c.progress, c.message, c.title, c.revision], ['deploying', '1/3 servers up, 0/3 nodes installed', 'at first', first.spec.name, 2]);
});

test('a reader: told no action is allowed, and refused one with a valid CSRF token', async () => {
  const s = await signIn('demo-reader');
  const may = s.info.may as Record<string, boolean>;
  assert.equal(may['disco:list'], true);
  assert.equal(may['disco:create'], false);
  assert.equal(may['disco:delete'], false);
  const del = await call(s, 'DELETE', `/disco/${made[0]}`, { csrf: true });
  assert.equal(del.status, 403);
  assert.match(await del.text(), /disco:delete needs/);
  assert.equal((await service.store.get(made[0]!))?.desired, 'present');
});

test('the change stream is gzip-compressed when the client accepts it, each event flushed at once; plain when it does not', async () => {
  const s = await signIn('demo');
  // raw bytes off the socket (fetch would decompress them out of sight)
  const read = (encoding: string | undefined) => new Promise<{ headers: IncomingHttpHeaders; raw: number; text: string }>((resolve, reject) => {
    const req = httpGet(`${base}/disco/-/changes`, { headers: { Cookie: s.cookie, ...(encoding ? { 'Accept-Encoding': encoding } : {}) } }, (res) => {
      let raw = 0;
      let text = '';
      const gunzip = createGunzip();
      const done = () => { req.destroy(); resolve({ headers: res.headers, raw, text }); };
      const seen = (chunk: Buffer) => { text += String(chunk); if (text.includes('event: synced')) done(); };
      gunzip.on('data', seen);
      res.on('data', (c: Buffer) => { raw += c.length; if (res.headers['content-encoding'] === 'gzip') gunzip.write(c); else seen(c); });
    });
    req.on('error', (e) => { if (!req.destroyed) reject(e); });
    setTimeout(() => { req.destroy(); reject(new Error('no synced event within 15 s')); }, 15_000).unref();
  });
  const zipped = await read('gzip, deflate');
  assert.equal(zipped.headers['content-encoding'], 'gzip');
  assert.match(String(zipped.headers.vary), /Accept-Encoding/);
  assert.match(zipped.text, /^retry: 3000\n\nevent: snapshot\ndata: \[/, 'the snapshot came out of the gzip stream while it stays open: flushed');
  const plain = await read(undefined);
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.equal(plain.text.split('event: synced')[0], zipped.text.split('event: synced')[0], 'the same events');
  assert.ok(zipped.raw < plain.raw, `compressed ${zipped.raw} bytes, plain ${plain.raw}`);
  assert.equal((await read('identity')).headers['content-encoding'], undefined);
  assert.equal((await read('gzip;q=0')).headers['content-encoding'], undefined, 'refused by q=0');
});

test('sign-out needs the CSRF token, forgets the cookie, revokes the token: replayed reads, changes and open streams all stop', async () => {
  const s = await signIn('demo');
  assert.equal((await call(s, 'GET', '/disco/')).status, 200, 'a read before: now cached');
  const ac = new AbortController();
  const open = await fetch(`${base}/disco/-/changes`, { headers: { Cookie: s.cookie }, signal: ac.signal });
  assert.equal((await call(s, 'DELETE', '/dashboard/session')).status, 403);
  const out = await call(s, 'DELETE', '/dashboard/session', { csrf: true });
  assert.equal(out.status, 204);
  assert.match(out.headers.get('set-cookie') ?? '', /disco_session=;.*Max-Age=0/);
  // the old cookie, replayed: a read (even one cached a moment ago) and a change are refused
  assert.equal((await call(s, 'GET', '/disco/')).status, 401);
  const replay = await call(s, 'POST', `/disco/${made[0]}`, { csrf: true, body: { kind: 'http://schemas.cloudcomplab.ch/occi/sm#disco', attributes: { 'icclab.disco.lifetime': 3600 } } });
  assert.equal(replay.status, 401);
  // and the stream opened before ends, saying why
  const text = await Promise.race([open.text(), new Promise<string>((r) => setTimeout(() => r('(still open)'), 10_000))]);
  ac.abort();
  assert.match(text, /event: end\ndata: \{"message":"the token was revoked \(signed out\)"\}/);
});

test('change streams are counted and released however they end: the limit is a 503, a stream closed before its first answer frees its place', async () => {
  const small = inProcess({ SM_MAX_CHANGE_STREAMS: '2', SM_CHANGES_POLL_MS: '100' });
  const server = small.service.app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const at = `http://127.0.0.1:${(server.address() as AddressInfo).port}/disco/-/changes`;
  const s = await signIn('demo');
  try {
    // closed at once, again and again, some before the service has even asked Keystone
    for (let i = 0; i < 6; i++) {
      const ac = new AbortController();
      const r = fetch(at, { headers: { Cookie: '', 'X-Auth-Token': tokenOf(s) }, signal: ac.signal }).catch(() => undefined);
      if (i % 2) await r;
      ac.abort();
      await r;
    }
    const streams = [new AbortController(), new AbortController()];
    const opened = await Promise.all(streams.map((ac) => fetch(at, { headers: { 'X-Auth-Token': tokenOf(s) }, signal: ac.signal })));
    assert.deepEqual(opened.map((r) => r.status), [200, 200], 'no place was lost to the closed ones');
    const third = await fetch(at, { headers: { 'X-Auth-Token': tokenOf(s) } });
    assert.equal(third.status, 503);
    assert.match(await third.text(), /SM_MAX_CHANGE_STREAMS/);
    streams[0]!.abort();
    let again: Response | undefined;
    for (let i = 0; i < 50 && again?.status !== 200; i++) {
      again = await fetch(at, { headers: { 'X-Auth-Token': tokenOf(s) } });
      if (again.status !== 200) { await again.text(); await new Promise((r) => setTimeout(r, 100)); }
    }
    assert.equal(again?.status, 200, 'the place of a closed stream is free again');
    await again!.body?.cancel();
    streams[1]!.abort();
  } finally {
    server.closeAllConnections();
    server.close();
    await small.service.close();
  }
});
