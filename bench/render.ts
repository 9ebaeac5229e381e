// Render time of the biggest ordinary cluster: five frameworks on 200 workers.
import { quantiles } from './quantiles.js';
import { FrameworkCatalog } from '../src/frameworks/catalog.js';
import { BaseTemplateRenderer } from '../src/heat/renderer.js';
import { loadConfig } from '../src/config/load.js';

export function measureRender(runs = 200): { medianMs: number; p99Ms: number; frameworks: string[] } {
  const catalog = FrameworkCatalog.load();
  const renderer = new BaseTemplateRenderer(catalog);
  const names = ['hadoop', 'spark', 'zeppelin', 'jupyter', 'disco'];
  const frameworks = catalog.resolve(names).map((f) => ({ name: f.name, version: f.version }));
  const spec = {
    name: 'bench', networkName: 'bench-net', externalNetwork: 'public', masterImage: 'debian-12', workerImage: 'debian-12',
    masterFlavor: 'm1.large', workerFlavor: 'm1.large', workers: 200, frameworks, components: {},
    facts: { workers: 200, nodes: 201, master_vcpus: 4, master_ram_mb: 8192, master_disk_gb: 80, worker_vcpus: 4, worker_ram_mb: 8192, worker_disk_gb: 80 },
  };
  const ctx = { clusterId: '00000000-0000-4000-8000-00000000b0b0', sshPublicKey: 'ssh-ed25519 AAAA bench', settings: { ...loadConfig({}).clusters, maxWorkers: 200 },
    installTimeoutSeconds: 3600, nodeSecrets: { cluster_private_key: 'k', cluster_public_key: 'p' } };
  for (let i = 0; i < 20; i++) renderer.render(spec, ctx);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    renderer.render(spec, ctx);
    times.push(performance.now() - t);
  }
  const q = quantiles(times);
  return { medianMs: q.p50, p99Ms: q.p99, frameworks: frameworks.map((f) => f.name) };
}
