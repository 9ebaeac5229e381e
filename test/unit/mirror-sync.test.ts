// scripts/mirror-sync, run as a user runs it: every declared artifact from its upstream URL
// (an HTTPS stand-in with its own CA) or from another mirror (--from), checked against the
// pinned SHA-512 before it is put in place; a tampered, missing or oversized file is not put
// there and the run says which and exits 1; a second run keeps what checks out.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { ROOT } from '../helpers/service.js';

const sha512 = (b: Buffer) => createHash('sha512').update(b).digest('hex');
const tmp = (p: string) => mkdtempSync(join(tmpdir(), p));
const release = Buffer.from('a release\n'.repeat(5000));
const inner = Buffer.from('a tar\n'.repeat(3000));
const files: Record<string, Buffer> = {
  '/r/release-2.0.tgz': release,
  '/r/tampered-2.0.tgz': Buffer.concat([release, Buffer.from('!')]),
  '/r/big-2.0.tgz': release,
  '/r/source-2.0.tar.gz': gzipSync(inner),
};
const asked: string[] = [];
const auths: (string | undefined)[] = [];
const handler = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
  asked.push(req.url ?? '');
  auths.push(req.headers.authorization);
  const f = files[(req.url ?? '').replace(/^\/mirror/, '')];
  if (f) res.end(f); else res.writeHead(404).end('no');
};
const plain = createServer(handler);
// the upstream stand-in: HTTPS with a certificate of its own, trusted through NODE_EXTRA_CA_CERTS
const pki = tmp('pki-');
execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
  '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(pki, 'key.pem'), '-out', join(pki, 'cert.pem')], { stdio: 'ignore' });
const secure = createHttpsServer({ key: readFileSync(join(pki, 'key.pem')), cert: readFileSync(join(pki, 'cert.pem')) }, handler);
await new Promise<void>((r) => plain.listen(0, '127.0.0.1', r));
await new Promise<void>((r) => secure.listen(0, '127.0.0.1', r));
after(() => { plain.close(); secure.close(); });
const port = (s: typeof plain | typeof secure) => (s.address() as { port: number }).port;

function catalog(arts: string[]): string {
  const dir = tmp('sync-catalog-');
  mkdirSync(join(dir, 'r'));
  writeFileSync(join(dir, 'r', 'framework.yaml'), `name: r\nversion: "2.0"\ndescription: d\ndepends_on: []\nartifacts:\n${arts.join('')}`);
  return dir;
}
const art = (name: string, file: string, sum: string, extra = '') =>
  `  - {name: ${name}, path: r/${file}, url: "https://127.0.0.1:${port(secure)}/r/${file}", sha512: ${sum}${extra}}\n`;

function sync(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const p = spawn(join(ROOT, 'scripts/mirror-sync'), args, { env: { ...process.env, NODE_EXTRA_CA_CERTS: join(pki, 'cert.pem') } });
    let out = '';
    p.stdout.on('data', (c) => { out += c; });
    p.stderr.on('data', (c) => { out += c; });
    p.on('exit', (code) => resolve({ code, out }));
  });
}

test('from upstream (https): each artifact checked and put in place; a second run keeps what checks out', async () => {
  const cat = catalog([art('release', 'release-2.0.tgz', sha512(release)), art('source', 'source-2.0.tar.gz', sha512(inner), ', digest_of: gunzip')]);
  const dir = tmp('mirror-');
  asked.length = 0;
  const first = await sync([dir, '--frameworks', cat]);
  assert.equal(first.code, 0, first.out);
  assert.match(first.out, /^downloaded +r\/release-2\.0\.tgz \(release\): from https:\/\/127\.0\.0\.1:\d+\/r\/release-2\.0\.tgz$/m);
  assert.match(first.out, /mirror-sync: all 2 in /);
  assert.deepEqual(readFileSync(join(dir, 'r/release-2.0.tgz')), release);
  assert.deepEqual(readFileSync(join(dir, 'r/source-2.0.tar.gz')), files['/r/source-2.0.tar.gz']);
  const again = await sync([dir, '--frameworks', cat]);
  assert.equal(again.code, 0, again.out);
  assert.match(again.out, /^present +r\/release-2\.0\.tgz \(release\): already there, checked$/m);
  assert.equal(asked.length, 2, 'nothing fetched the second time');
});

test('a tampered, missing or oversized file is not put in the mirror; the run names each and exits 1', async () => {
  const cat = catalog([
    art('release', 'release-2.0.tgz', sha512(release)),
    art('tampered', 'tampered-2.0.tgz', sha512(release)),
    art('absent', 'absent-2.0.tgz', sha512(release)),
    art('big', 'big-2.0.tgz', sha512(release), `, size: ${release.length - 1}`),
  ]);
  const dir = tmp('mirror-');
  // an old copy that no longer checks out is replaced, not kept
  mkdirSync(join(dir, 'r'));
  writeFileSync(join(dir, 'r/release-2.0.tgz'), 'stale');
  auths.length = 0;
  const r = await sync([dir, '--frameworks', cat, '--from', `http://user:pw@127.0.0.1:${port(plain)}/mirror/`]);
  // a mirror's credentials travel as Basic auth
  assert.deepEqual(new Set(auths), new Set([`Basic ${Buffer.from('user:pw').toString('base64')}`]));
  assert.equal(r.code, 1, r.out);
  assert.match(r.out, /^downloaded +r\/release-2\.0\.tgz \(release\): from http:\/\/127\.0\.0\.1:\d+\/mirror\/r\/release-2\.0\.tgz$/m);
  assert.match(r.out, /^refused +r\/tampered-2\.0\.tgz \(tampered\): .*its SHA-512 is not the one its manifest pins/m);
  assert.match(r.out, /^failed +r\/absent-2\.0\.tgz \(absent\): http:\/\/127\.0\.0\.1:\d+\/mirror\/r\/absent-2\.0\.tgz: HTTP 404$/m);
  assert.match(r.out, /^failed +r\/big-2\.0\.tgz \(big\): .*more than the 49999 bytes its manifest declares$/m);
  assert.match(r.out, /mirror-sync: 3 of 4 not in the mirror: tampered, absent, big/);
  assert.ok(!r.out.includes('pw@'), 'the mirror password is never printed');
  assert.deepEqual(readdirSync(join(dir, 'r')).sort(), ['release-2.0.tgz']);
  assert.deepEqual(readFileSync(join(dir, 'r/release-2.0.tgz')), release);
  assert.ok(!existsSync(join(dir, 'r/tampered-2.0.tgz.part')));
});

test('usage: one directory', async () => {
  const r = await sync([]);
  assert.equal(r.code, 2);
  assert.match(r.out, /usage: scripts\/mirror-sync DIR \[--from URL\] \[--frameworks DIR\]/);
});

test('a download refused at its first bytes leaves no partial file, however soon it fails', async () => {
  const { syncArtifacts } = await import('../../src/mirror/sync.js');
  const dir = mkdtempSync(join(tmpdir(), 'mirror-part-'));
  // each body is over its declared size from the first chunk: the failure comes before the
  // partial file's stream has even opened
  const artifacts = Array.from({ length: 20 }, (_, i) => ({ name: `a${i}`, path: `p/a${i}.tgz`, url: `https://example.invalid/a${i}.tgz`, sha512: '0'.repeat(128), size: 1 }));
  const out = await syncArtifacts(artifacts, dir, { fetch: async () => new Response('more than one byte') });
  assert.deepEqual(out.map((s) => s.outcome), artifacts.map(() => 'failed'));
  assert.deepEqual(readdirSync(join(dir, 'p')), []);
});
