// The renderer's output for three framework sets, compared with golden files that were
// read and checked by hand (test/fixtures/golden/). UPDATE_GOLDEN=1 rewrites them: read
// the diff before committing it.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { test } from 'node:test';
import type { ClusterSpec } from '../../src/clusters/record.js';
import { FrameworkCatalog } from '../../src/frameworks/catalog.js';
import { BaseTemplateRenderer } from '../../src/heat/renderer.js';
import { nodeScriptBody, USER_DATA_LIMIT } from '../../src/heat/user-data.js';
import { DomainError } from '../../src/errors/domain-error.js';
import { randomBytes } from 'node:crypto';

const catalog = FrameworkCatalog.load();
const renderer = new BaseTemplateRenderer(catalog);
const settings = {
  maxWorkers: 50, defaultWorkers: 1, masterFlavor: 'm1.small', workerFlavor: 'm1.small', masterImage: 'debian-12',
  workerImage: 'debian-12', externalNetwork: 'public', subnetCidr: '192.168.19.0/24', dnsNameservers: ['192.0.2.53'],
  accessCidr: '198.51.100.0/24', mirrorUrl: 'http://mirror.example/disco', sshUser: 'debian',
};

function spec(names: string[]): ClusterSpec {
  const frameworks = catalog.resolve(names).map((f) => ({ name: f.name, version: f.version }));
  return {
    name: 'golden', networkName: 'golden-net', externalNetwork: 'public', masterImage: 'debian-12', workerImage: 'debian-12',
    masterFlavor: 'm1.medium', workerFlavor: 'm1.large', workers: 3, frameworks, components: {},
    facts: { workers: 3, nodes: 4, master_vcpus: 2, master_ram_mb: 4096, master_disk_gb: 40, worker_vcpus: 4, worker_ram_mb: 8192, worker_disk_gb: 80 },
  };
}

for (const [file, names] of [['base', []], ['hadoop-spark', ['spark']], ['disco-jupyter', ['disco', 'jupyter']]] as const) {
  test(`golden rendering: ${file}`, () => {
    const out = renderer.render(spec([...names]), {
      clusterId: '00000000-0000-4000-8000-000000000001', sshPublicKey: 'ssh-ed25519 AAAAgolden golden', settings,
      installTimeoutSeconds: 1800, nodeSecrets: { cluster_private_key: 'golden-private', cluster_public_key: 'golden-public' },
    });
    // the scripts are tested on their own (framework-*.test.ts); here: the node script's outline
    const outline = (ud: unknown) => [...String(ud).split('\n'), ...nodeScriptBody(String(ud)).split('\n')]
      .filter((l) => /^(export |# sections: |disco_section |DISCO_SECRETS=)/.test(l));
    const p = out.parameters!;
    const text = `${JSON.stringify({ ...out, parameters: { ...p, master_user_data: outline(p.master_user_data), worker_user_data: outline(p.worker_user_data) } }, null, 2)}\n`;
    const path = new URL(`../fixtures/golden/${file}.json`, import.meta.url);
    if (process.env.UPDATE_GOLDEN === '1' || !existsSync(path)) writeFileSync(path, text);
    assert.equal(text, readFileSync(path, 'utf8'));
  });
}

test("node scripts stay under Nova's user_data limit with every framework; an oversized post_init is a 400 naming it", () => {
  const all = spec(catalog.optional().map((f) => f.name));
  const ctx = { clusterId: '00000000-0000-4000-8000-000000000002', sshPublicKey: 'k', settings, installTimeoutSeconds: 1800, nodeSecrets: null };
  const out = renderer.render(all, ctx);
  for (const role of ['master', 'worker']) {
    const ud = String(out.parameters![`${role}_user_data`]);
    assert.ok(Buffer.byteLength(ud) < USER_DATA_LIMIT, `${role}: ${Buffer.byteLength(ud)} bytes`);
    // every section is in the payload, in order
    assert.deepEqual([...nodeScriptBody(ud).matchAll(/^disco_section (\S+) /gm)].map((m) => m[1]),
      ['bootstrap', 'disco', 'hadoop', 'jupyter', 'spark', 'zeppelin', 'bootstrap-post']);
  }
  // 40 KB that gzip cannot shrink (random hex would: 4 bits a byte; base64 of random bytes is ~6)
  const noise = randomBytes(30_000).toString('base64');
  const big = { ...all, components: { ...all.components, bootstrap: { post_init: noise } } };
  assert.throws(() => renderer.render(big, ctx), (e: DomainError) => e.code === 'INVALID'
    && e.attribute === 'icclab.disco.components.bootstrap.post_init' && /over the 45000 bytes Nova accepts/.test(e.message));
});

test("the create's fast size check refuses exactly what the stack's render refuses, at the edge too", () => {
  const all = spec(catalog.optional().map((f) => f.name));
  const ctx = { clusterId: '00000000-0000-4000-8000-000000000002', sshPublicKey: 'k', settings, installTimeoutSeconds: 1800, nodeSecrets: null };
  const fits = (s: ClusterSpec, sizeCheck: boolean) => { try { renderer.render(s, { ...ctx, sizeCheck }); return true; } catch { return false; } };
  // post_init of random base64 from 0 to 40 KB: past some length neither render takes it, and both agree at every step
  const answers: boolean[] = [];
  for (let n = 0; n <= 40_000; n += 1_000) {
    const s = { ...all, components: { ...all.components, bootstrap: { post_init: randomBytes(n).toString('base64').slice(0, n) } } };
    const exact = fits(s, false);
    assert.equal(fits(s, true), exact, `post_init of ${n} bytes`);
    answers.push(exact);
  }
  assert.ok(answers[0] && !answers.at(-1), 'the range crosses the limit');
});
