// The renderer's output for three framework sets, compared with golden files that were
// read and checked by hand (test/fixtures/golden/). UPDATE_GOLDEN=1 rewrites them: read
// the diff before committing it.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { test } from 'node:test';
import type { ClusterSpec } from '../../src/clusters/record.js';
import { FrameworkCatalog } from '../../src/frameworks/catalog.js';
import { BaseTemplateRenderer } from '../../src/heat/renderer.js';

const catalog = FrameworkCatalog.load();
const renderer = new BaseTemplateRenderer(catalog);
const settings = {
  maxWorkers: 50, defaultWorkers: 1, masterFlavor: 'm1.small', workerFlavor: 'm1.small', masterImage: 'debian-12',
  workerImage: 'debian-12', externalNetwork: 'public', subnetCidr: '192.168.19.0/24', dnsNameservers: ['192.0.2.53'],
  accessCidr: '198.51.100.0/24', mirrorUrl: 'http://mirror.example/disco',
};

function spec(names: string[]): ClusterSpec {
  const frameworks = catalog.resolve(names).map((f) => ({ name: f.name, version: f.version }));
  return {
    name: 'golden', networkName: 'golden-net', externalNetwork: 'public', masterImage: 'debian-12', workerImage: 'debian-12',
    masterFlavor: 'm1.medium', workerFlavor: 'm1.large', workers: 3, frameworks, components: {},
  };
}

for (const [file, names] of [['base', []], ['hadoop-spark', ['spark']], ['disco-jupyter', ['disco', 'jupyter']]] as const) {
  test(`golden rendering: ${file}`, () => {
    const out = renderer.render(spec([...names]), {
      clusterId: '00000000-0000-4000-8000-000000000001', sshPublicKey: 'ssh-ed25519 AAAAgolden golden', settings,
      installTimeoutMinutes: 30,
    });
    const text = `${JSON.stringify(out, null, 2)}\n`;
    const path = new URL(`../fixtures/golden/${file}.json`, import.meta.url);
    if (process.env.UPDATE_GOLDEN === '1' || !existsSync(path)) writeFileSync(path, text);
    assert.equal(text, readFileSync(path, 'utf8'));
  });
}
