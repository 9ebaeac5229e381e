// The layering of src/ as .dependency-cruiser.cjs states it: src/ keeps every rule, each
// rule fails on a fixture that breaks it, and OCCI attribute names of framework properties
// are built in one module only.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const cruise = (cwd: string) => spawnSync(process.execPath, [join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs'),
  'src', '--config', join(ROOT, '.dependency-cruiser.cjs'), '--output-type', 'err'], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '' } });
/** The report without terminal colours, whatever the environment asks for. */
// eslint-disable-next-line no-control-regex
const plain = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');

test('src/ keeps every layering rule', () => {
  const r = cruise(ROOT);
  assert.equal(r.status, 0, r.stdout + r.stderr);
});

test('each rule fails on a fixture that breaks it', () => {
  const r = cruise(join(ROOT, 'test/fixtures/layering'));
  assert.notEqual(r.status, 0);
  for (const [rule, edge] of <[string, string][]>[['no-cycles', 'src/clusters/a.ts'], ['occi-knows-no-clusters', 'src/occi/parse.ts'],
    ['only-api-speaks-http', 'src/heat/render.ts'], ['domain-below-provisioning', 'src/clusters/state.ts'],
    ['browser-code-stays-in-the-browser', 'src/dashboard/page.ts'], ['browser-code-has-no-node', 'src/dashboard/page.ts']]) {
    assert.match(plain(r.stdout), new RegExp(`${rule}: ${edge.replace(/\./g, '\\.')}`), `${rule} is checked`);
  }
});

test('framework property attribute names are built and parsed in disco-kind/attribute-names.ts only', () => {
  const files = (dir: string): string[] => readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
  const offenders = files(join(ROOT, 'src')).filter((f) => !f.endsWith('disco-kind/attribute-names.ts'))
    .filter((f) => readFileSync(f, 'utf8').split('\n').some((l) => !/^\s*(\/\/|\*|\/\*)/.test(l) && /icclab\\?\.disco\\?\.components\\?\./.test(l)));
  assert.deepEqual(offenders, []);
});
