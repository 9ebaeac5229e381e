// scripts/mirror-sync's program: arguments, the catalog, one line per artifact, exit 1 when
// any artifact could not be put in the mirror.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { allArtifacts } from '../src/frameworks/artifacts.js';
import { FrameworkCatalog, FRAMEWORKS_DIR } from '../src/frameworks/catalog.js';
import { syncArtifacts } from '../src/mirror/sync.js';

const usage = 'usage: scripts/mirror-sync DIR [--from URL] [--frameworks DIR]';
let args;
try {
  args = parseArgs({ allowPositionals: true, options: { from: { type: 'string' }, frameworks: { type: 'string' }, help: { type: 'boolean' } } });
} catch (e) {
  console.error(`${(e as Error).message}\n${usage}`);
  process.exit(2);
}
if (args.values.help || args.positionals.length !== 1) {
  console.error(usage);
  process.exit(args.values.help ? 0 : 2);
}
const dir = resolve(args.positionals[0]!);
const catalog = FrameworkCatalog.load(args.values.frameworks ?? process.env.SM_FRAMEWORKS_DIR ?? FRAMEWORKS_DIR);
const artifacts = allArtifacts(catalog.all());
console.log(`mirror-sync: ${artifacts.length} artifacts into ${dir}${args.values.from ? `, from ${args.values.from.replace(/\/\/[^/@]*@/, '//')}` : ''}`);
const results = await syncArtifacts(artifacts, dir, {
  ...(args.values.from ? { from: args.values.from } : {}),
  progress: (s) => console.log(`${s.outcome.padEnd(10)} ${s.path} (${s.name}): ${s.detail}`),
});
const bad = results.filter((r) => r.outcome === 'refused' || r.outcome === 'failed');
console.log(bad.length ? `mirror-sync: ${bad.length} of ${results.length} not in the mirror: ${bad.map((b) => b.name).join(', ')}` : `mirror-sync: all ${results.length} in ${dir}`);
process.exit(bad.length ? 1 : 0);
