// The installed frameworks: one folder each under frameworks/, with a framework.yaml
// manifest checked against a schema at start-up (a broken manifest stops start-up, naming
// the file and the field). Install scripts, ports and parameters arrive with issue 4.
import { Ajv } from 'ajv';
import { load } from 'js-yaml';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface FrameworkManifest {
  name: string;
  version: string;
  description: string;
  depends_on: string[];
}

export class FrameworkCatalogError extends Error {
  readonly code = 'FRAMEWORK_MANIFEST_INVALID';
}

export const FRAMEWORKS_DIR = fileURLToPath(new URL('../../frameworks/', import.meta.url));

const schema = {
  type: 'object',
  additionalProperties: true,
  required: ['name', 'version', 'description', 'depends_on'],
  properties: {
    name: { type: 'string', pattern: '^[a-z][a-z0-9_-]{0,39}$' },
    version: { type: 'string', minLength: 1 },
    description: { type: 'string', minLength: 1 },
    depends_on: { type: 'array', items: { type: 'string' }, uniqueItems: true },
  },
};

export class FrameworkCatalog {
  private constructor(private readonly byName: Map<string, FrameworkManifest>) {}

  static load(dir: string = FRAMEWORKS_DIR): FrameworkCatalog {
    const validate = new Ajv({ allErrors: true }).compile(schema);
    const byName = new Map<string, FrameworkManifest>();
    for (const entry of readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory())) {
      const file = join(dir, entry.name, 'framework.yaml');
      if (!existsSync(file)) continue;
      let doc: unknown;
      try { doc = load(readFileSync(file, 'utf8')); } catch (e) {
        throw new FrameworkCatalogError(`${file}: not valid YAML: ${(e as Error).message}`);
      }
      if (!validate(doc)) {
        const e = validate.errors![0]!;
        throw new FrameworkCatalogError(`${file}: ${e.instancePath.slice(1) || 'manifest'} ${e.message}`);
      }
      const m = doc as unknown as FrameworkManifest;
      if (m.name !== entry.name) throw new FrameworkCatalogError(`${file}: name ${m.name} differs from its folder ${entry.name}`);
      byName.set(m.name, m);
    }
    for (const m of byName.values()) {
      for (const d of m.depends_on) {
        if (!byName.has(d)) throw new FrameworkCatalogError(`frameworks/${m.name}/framework.yaml: depends_on names unknown framework ${d}`);
      }
    }
    return new FrameworkCatalog(byName);
  }

  names(): string[] { return [...this.byName.keys()].sort(); }
  get(name: string): FrameworkManifest | undefined { return this.byName.get(name); }
  all(): FrameworkManifest[] { return this.names().map((n) => this.byName.get(n)!); }
}
