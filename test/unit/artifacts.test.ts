// Artifacts (manifest `artifacts:`, the header's disco_artifact), run for real with bash: the
// master downloads from the mirror (else the upstream URL) once and keeps a checked copy for
// the workers; a file whose SHA-512 is not the pinned one is refused, naming the artifact, and
// the master leaves the reason for the workers; workers take the file from the master only.
// Also the catalog's checks of what manifests declare.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, test } from 'node:test';
import { FrameworkCatalog } from '../../src/frameworks/catalog.js';
import { encodeSecrets } from '../../src/heat/renderer.js';
import { renderUserData, type Role } from '../../src/heat/user-data.js';

const sha512 = (b: Buffer | string) => createHash('sha512').update(b).digest('hex');
const tmp = (p: string) => mkdtempSync(join(tmpdir(), p));

// what the mirror serves: a release, a tampered one, a gzip whose content is pinned
const release = Buffer.from('release 1.0 bytes\n'.repeat(1000));
const content = Buffer.from('the tar inside\n'.repeat(500));
const mirror = tmp('mirror-');
const put = (root: string, path: string, b: Buffer | string) => { mkdirSync(dirname(join(root, path)), { recursive: true }); writeFileSync(join(root, path), b); };
put(mirror, 'fw/release-1.0.tgz', release);
put(mirror, 'fw/tampered-1.0.tgz', Buffer.concat([release, Buffer.from('x')]));
put(mirror, 'fw/source-1.0.tar.gz', gzipSync(content, { level: 1 }));
put(mirror, 'fw/not-gzip-1.0.tar.gz', content);

const catalogDir = tmp('artifacts-catalog-');
const artifact = (name: string, path: string, sum: string, extra = '') =>
  `  - {name: ${name}, path: ${path}, url: "https://127.0.0.1:1/${path}", sha512: ${sum}${extra}}\n`;
mkdirSync(join(catalogDir, 'fw'));
writeFileSync(join(catalogDir, 'fw', 'framework.yaml'), 'name: fw\nversion: "1.0"\ndescription: d\ndepends_on: []\nartifacts:\n' +
  artifact('release', 'fw/release-1.0.tgz', sha512(release)) +
  artifact('tampered', 'fw/tampered-1.0.tgz', sha512(release)) +
  artifact('absent', 'fw/absent-1.0.tgz', sha512(release)) +
  artifact('source', 'fw/source-1.0.tar.gz', sha512(content), ', digest_of: gunzip') +
  artifact('notgzip', 'fw/not-gzip-1.0.tar.gz', sha512(content), ', digest_of: gunzip') +
  'parameters: {type: object, properties: {which: {type: string}, dest: {type: string}}}\n' +
  'scripts: {master: get.sh, worker: get.sh}\n');
writeFileSync(join(catalogDir, 'fw', 'get.sh'), '#!/bin/bash\ndisco_artifact "$DISCO_FW_WHICH" "$DISCO_FW_DEST"\necho "got $(sha512sum <"$DISCO_FW_DEST" | cut -c1-16)"\n');
const catalog = FrameworkCatalog.load(catalogDir);

// one server: Keystone and Heat stand-ins, the mirror under /mirror, the master's cache at /
const signals: Record<string, string>[] = [];
const gets: string[] = [];
let cacheRoot = '';
const server = createServer((req, res) => {
  let b = '';
  req.on('data', (c) => { b += c; });
  req.on('end', () => {
    const url = req.url ?? '';
    if (url === '/v3/auth/tokens') return void res.writeHead(201, { 'X-Subject-Token': 't' }).end('{}');
    if (url === '/signal') { signals.push(JSON.parse(b)); return void res.end('{}'); }
    gets.push(url);
    const file = url.startsWith('/mirror/') ? join(mirror, url.slice(8)) : join(cacheRoot, url);
    if (!url.includes('..') && existsSync(file)) res.end(readFileSync(file)); else res.writeHead(404).end('no');
  });
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
after(() => server.close());
const port = (server.address() as { port: number }).port;
const base = `http://127.0.0.1:${port}`;
const signal = JSON.stringify({ auth_url: `${base}/v3`, user_id: 'u', password: 'p', project_id: 'p', alarm_url: `${base}/signal` });

interface Ran { status: number | null; reason: string; log: string; dest: string }
async function run(role: Role, which: string, cache: string, mirrorUrl = `${base}/mirror`): Promise<Ran> {
  cacheRoot = cache;
  signals.length = 0;
  const dest = join(tmp('dest-'), 'file');
  const script = renderUserData(catalog.resolve(['fw']), role, { clusterName: 'c1', workers: 1, mirrorUrl, facts: {}, properties: { fw: { which, dest } } })
    .replaceAll('__DISCO_NODE__', `c1-${role}`).replaceAll('__DISCO_ROLE__', role).replaceAll('__DISCO_MASTER_IP__', '127.0.0.1')
    .replaceAll('__DISCO_SIGNAL__', signal).replaceAll('__DISCO_INSTALL_TIMEOUT__', '600').replaceAll('__DISCO_SECRETS__', encodeSecrets({}));
  const log = join(tmp('log-'), 'bootstrap.log');
  const proc = spawn('bash', ['-c', script], { stdio: 'ignore', env: { ...process.env, DISCO_LOG: log, DISCO_STATE: join(log, '..', 'state'),
    DISCO_GUARD_METADATA: '0', DISCO_ARTIFACT_RETRIES: '1', DISCO_ARTIFACT_DIR: cache, DISCO_ARTIFACT_PORT: String(port) } });
  const status = await new Promise<number | null>((r) => proc.on('exit', r));
  const failure = signals.find((s) => s.status === 'FAILURE');
  return { status, reason: failure?.reason ?? '', log: readFileSync(log, 'utf8'), dest };
}
const got = (b: Buffer) => `got ${sha512(b).slice(0, 16)}`;

test('the master downloads from the mirror once, checks it, and keeps it for the workers', async () => {
  const cache = tmp('cache-');
  gets.length = 0;
  const r = await run('master', 'release', cache);
  assert.equal(r.status, 0, r.log);
  assert.ok(r.log.includes(got(release)), r.log);
  assert.deepEqual(readFileSync(r.dest), release);
  assert.deepEqual(readFileSync(join(cache, 'fw/release-1.0.tgz')), release);
  // a re-run (a reboot) finds the checked copy: nothing downloaded again
  const again = await run('master', 'release', cache);
  assert.equal(again.status, 0, again.log);
  assert.deepEqual(gets, ['/mirror/fw/release-1.0.tgz']);
});

test('a file whose SHA-512 is not the pinned one is refused, naming the artifact; the master leaves the reason for the workers', async () => {
  const cache = tmp('cache-');
  const r = await run('master', 'tampered', cache);
  assert.equal(r.status, 1);
  assert.match(r.reason, /framework=fw: .*artifact tampered refused: SHA-512 [0-9a-f]{16}\.\.\. of http:\/\/127\.0\.0\.1:\d+\/mirror\/fw\/tampered-1\.0\.tgz, pinned [0-9a-f]{16}\.\.\.$/);
  assert.ok(!existsSync(join(cache, 'fw/tampered-1.0.tgz')) && !existsSync(join(cache, 'fw/tampered-1.0.tgz.part')), 'no copy kept');
  assert.ok(!existsSync(r.dest));
  assert.match(readFileSync(join(cache, 'fw/tampered-1.0.tgz.failed'), 'utf8'), /^artifact tampered refused/);
  // a worker sees the master's reason at once instead of waiting
  const w = await run('worker', 'tampered', cache);
  assert.equal(w.status, 1);
  assert.match(w.reason, /the master could not get it: artifact tampered refused: SHA-512/);
});

test('gunzip digests: any gzip of the pinned content is taken, a file that is not one is refused', async () => {
  const ok = await run('master', 'source', tmp('cache-'));
  assert.equal(ok.status, 0, ok.log);
  const bad = await run('master', 'notgzip', tmp('cache-'));
  assert.equal(bad.status, 1);
  assert.match(bad.reason, /artifact notgzip refused/);
});

test('what cannot be downloaded fails naming the artifact and the source, never a mirror password; no mirror means upstream', async () => {
  const missing = await run('master', 'absent', tmp('cache-'), `http://mirror-user:s3cret@127.0.0.1:${port}/mirror`);
  assert.equal(missing.status, 1);
  assert.match(missing.reason, /artifact absent: cannot download http:\/\/127\.0\.0\.1:\d+\/mirror\/fw\/absent-1\.0\.tgz: curl: \(22\).*404/);
  assert.ok(!missing.reason.includes('s3cret') && !missing.log.includes('s3cret'));
  const upstream = await run('master', 'release', tmp('cache-'), '');
  assert.equal(upstream.status, 1);
  assert.match(upstream.reason, /artifact release: cannot download https:\/\/127\.0\.0\.1:1\/fw\/release-1\.0\.tgz: curl: \(7\)/);
  const undeclared = await run('master', 'nosuch', tmp('cache-'));
  assert.match(undeclared.reason, /artifact nosuch: no framework of this cluster declares it/);
});

test('a worker takes the file from the master and checks it too', async () => {
  const cache = tmp('cache-');
  put(cache, 'fw/release-1.0.tgz', release);
  gets.length = 0;
  const w = await run('worker', 'release', cache);
  assert.equal(w.status, 0, w.log);
  assert.deepEqual(readFileSync(w.dest), release);
  assert.deepEqual(gets, ['/fw/release-1.0.tgz'], 'from the master, not the mirror');
  // the master's copy altered after the fact: refused
  put(cache, 'fw/release-1.0.tgz', 'something else');
  const bad = await run('worker', 'release', cache);
  assert.equal(bad.status, 1);
  assert.match(bad.reason, /artifact release refused: SHA-512 [0-9a-f]{16}\.\.\. of http:\/\/127\.0\.0\.1:\d+\/fw\/release-1\.0\.tgz/);
});

test('every artifact of the shipped frameworks has its upstream https URL and a pinned SHA-512, in step with the manifest version', () => {
  const shipped = FrameworkCatalog.load();
  const table = shipped.all().flatMap((f) => f.artifacts.map((a) => ({ fw: f.name, version: f.version, ...a })));
  assert.deepEqual(table.map((a) => a.fw).sort(), ['disco', 'hadoop', 'spark', 'zeppelin'], 'the frameworks that download a release');
  for (const a of table) {
    assert.match(a.url, /^https:\/\/(archive\.apache\.org\/dist|github\.com\/discoproject)\//, a.name);
    assert.match(a.sha512, /^[0-9a-f]{128}$/, a.name);
    assert.ok(a.url.includes(a.version) && a.path.includes(a.version), `${a.name}: url and path name version ${a.version}`);
    // a mirror keeps Apache's file names (GitHub's archive of a tag is named after the tag only)
    if (a.digest_of !== 'gunzip') assert.equal(a.url.split('/').at(-1), a.path.split('/').at(-1));
  }
  // checked by hand against Apache's .sha512 files (as quoted by independent sources) and
  // `git archive --format=tar --prefix=disco-0.5.4/ 0.5.4 | sha512sum` on upstream's repository
  assert.equal(shipped.get('hadoop')!.artifacts[0]!.sha512.slice(0, 16), 'de3eaca2e0517e4b');
  assert.equal(shipped.get('disco')!.artifacts[0]!.digest_of, 'gunzip');
});

test('the catalog refuses an artifact without a pinned SHA-512, an upstream that is not https, a path out of the mirror, a name or path twice', () => {
  const dir = (yaml: Record<string, string>) => {
    const d = tmp('fw-');
    for (const [name, arts] of Object.entries(yaml)) {
      mkdirSync(join(d, name));
      writeFileSync(join(d, name, 'framework.yaml'), `name: ${name}\nversion: "1"\ndescription: d\ndepends_on: []\nartifacts:\n${arts}`);
    }
    return d;
  };
  const sum = 'a'.repeat(128);
  const refused: [Record<string, string>, RegExp][] = [
    [{ a: '  - {name: x, path: a/x.tgz, url: "https://h/x.tgz"}\n' }, /a\/framework\.yaml: artifacts\.0 must have required property 'sha512'/],
    [{ a: `  - {name: x, path: a/x.tgz, url: "https://h/x.tgz", sha512: ${'A'.repeat(128)}}\n` }, /artifacts\.0\.sha512 must match pattern/],
    [{ a: `  - {name: x, path: a/x.tgz, url: "https://h/x.tgz", sha512: ${sum.slice(1)}}\n` }, /artifacts\.0\.sha512 must match pattern/],
    [{ a: `  - {name: x, path: a/x.tgz, url: "http://h/x.tgz", sha512: ${sum}}\n` }, /artifacts\.0\.url must match pattern/],
    [{ a: `  - {name: x, path: a/x.tgz, url: "https://h/x'; rm -rf /", sha512: ${sum}}\n` }, /artifacts\.0\.url must match pattern/],
    [{ a: `  - {name: x, path: ../x.tgz, url: "https://h/x.tgz", sha512: ${sum}}\n` }, /artifacts\.0\.path must match pattern/],
    [{ a: `  - {name: x, path: a/../../x.tgz, url: "https://h/x.tgz", sha512: ${sum}}\n` }, /artifacts\.0\.path must match pattern/],
    [{ a: `  - {name: x, path: /etc/x.tgz, url: "https://h/x.tgz", sha512: ${sum}}\n` }, /artifacts\.0\.path must match pattern/],
    [{ a: `  - {name: x, path: a/x.tgz, url: "https://h/x.tgz", sha512: ${sum}, digest_of: md5}\n` }, /artifacts\.0\.digest_of must be equal to one of the allowed values/],
    [{ a: `  - {name: x, path: a/x.tgz.part, url: "https://h/x.tgz", sha512: ${sum}}\n` }, /a\/framework\.yaml: artifacts: x: a path may not end in \.failed or \.part/],
    [{ a: `  - {name: x, path: a/x.tgz, url: "https://h/x.tgz", sha512: ${sum}}\n`, b: `  - {name: x, path: b/x.tgz, url: "https://h/x.tgz", sha512: ${sum}}\n` },
      /b\/framework\.yaml: artifacts: x \(b\/x\.tgz\): its name or path is also a\/x's/],
    [{ a: `  - {name: x, path: s/x.tgz, url: "https://h/x.tgz", sha512: ${sum}}\n`, b: `  - {name: y, path: s/x.tgz, url: "https://h/x.tgz", sha512: ${sum}}\n` },
      /b\/framework\.yaml: artifacts: y \(s\/x\.tgz\): its name or path is also a\/x's/],
  ];
  for (const [yaml, why] of refused) assert.throws(() => FrameworkCatalog.load(dir(yaml)), why, JSON.stringify(yaml));
  assert.equal(FrameworkCatalog.load(dir({ a: `  - {name: x, path: a/x-1.0.tar.gz, url: "https://h:8443/d/x-1.0.tar.gz", sha512: ${sum}, size: 10}\n` })).get('a')!.artifacts.length, 1);
});
