// The installed frameworks: one folder each under frameworks/, with a framework.yaml
// checked at start-up (a broken manifest stops start-up, naming the file and the field):
// the manifest schema, its parameters schema (it must compile), the names its expressions
// use, and its dependencies (no unknown name, no cycle).
import { Ajv, type ValidateFunction } from 'ajv';
import { load } from 'js-yaml';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { artifactConflict } from './artifacts.js';
import { references } from './expr.js';
import { libFiles, manifestSchema, type FrameworkManifest } from './manifest.js';
import { resolveOrder, ResolveError } from './resolver.js';

export type { FrameworkManifest } from './manifest.js';

export class FrameworkCatalogError extends Error {
  readonly code = 'FRAMEWORK_MANIFEST_INVALID';
}

export const FRAMEWORKS_DIR = fileURLToPath(new URL('../../frameworks/', import.meta.url));

/** Facts about the cluster that manifests' expressions may use. */
export const CLUSTER_FACTS = ['workers', 'nodes', 'master_vcpus', 'master_ram_mb', 'master_disk_gb',
  'worker_vcpus', 'worker_ram_mb', 'worker_disk_gb'] as const;
export type ClusterFact = typeof CLUSTER_FACTS[number];

export interface Framework extends FrameworkManifest {
  dir: string;
  /** Validates (and coerces: OCCI sends "3" for 3) this framework's properties. */
  validate: ValidateFunction;
}

export class FrameworkCatalog {
  private constructor(private readonly byName: Map<string, Framework>) {}

  static load(dir: string = FRAMEWORKS_DIR): FrameworkCatalog {
    const checkManifest = new Ajv({ allErrors: true, useDefaults: true }).compile(manifestSchema);
    const params = new Ajv({ allErrors: true, coerceTypes: true, useDefaults: true, strict: true });
    const byName = new Map<string, Framework>();
    for (const entry of readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
      const folder = join(dir, entry.name);
      const file = join(folder, 'framework.yaml');
      if (!existsSync(file)) continue;
      const fail = (why: string): never => { throw new FrameworkCatalogError(`${file}: ${why}`); };
      let doc: unknown;
      try { doc = load(readFileSync(file, 'utf8')); } catch (e) { fail(`not valid YAML: ${(e as Error).message}`); }
      if (!checkManifest(doc)) {
        const e = checkManifest.errors![0]!;
        const extra = e.keyword === 'additionalProperties' ? ` (${String(e.params.additionalProperty)})` : '';
        fail(`${e.instancePath.slice(1).replace(/\//g, '.') || 'manifest'} ${e.message}${extra}`);
      }
      const m = doc as FrameworkManifest;
      if (m.name !== entry.name) fail(`name ${m.name} differs from its folder ${entry.name}`);
      let validate: ValidateFunction;
      try { validate = params.compile(m.parameters); } catch (e) { return fail(`parameters: not a usable JSON Schema: ${(e as Error).message}`); }
      const props = Object.keys((m.parameters as { properties: object }).properties);
      for (const [name, e] of [...Object.entries(m.defaults), ...m.checks.map((c) => [c.property, c.assert] as const)]) {
        if (!props.includes(name)) fail(`${name} is not a property in parameters`);
        const refs = references(e);
        for (const c of refs.cluster) if (!(CLUSTER_FACTS as readonly string[]).includes(c)) fail(`unknown cluster fact ${c} (known: ${CLUSTER_FACTS.join(', ')})`);
        for (const p of refs.params) if (!props.includes(p)) fail(`expression uses ${p}, which is not a property in parameters`);
      }
      for (const s of Object.values(m.scripts).flat()) if (s && !existsSync(join(folder, s))) fail(`scripts: ${s} does not exist in ${folder}`);
      if (m.drain && !libFiles(m).some((f) => new RegExp(`^${m.drain!.function}\\(\\) \\{`, 'm').test(readFileSync(join(folder, f), 'utf8')))) {
        fail(`drain: ${m.drain.function} is not a function of its lib (${libFiles(m).join(', ') || 'none'})`);
      }
      if (props.includes('version')) fail('parameters: version is reserved (the node scripts get the manifest version as DISCO_<NAME>_VERSION)');
      for (const p of m.secret_properties) if (!props.includes(p)) fail(`secret_properties: ${p} is not a property in parameters`);
      for (const [field, list] of [['secret_in_script', m.secret_in_script], ['shown_to_owner', m.shown_to_owner]] as const) {
        for (const p of list) if (!m.secret_properties.includes(p)) fail(`${field}: ${p} is not in secret_properties`);
      }
      for (const g of m.generate) {
        if ((g.type ?? 'hex') === 'hex' && g.bytes === undefined) fail(`generate: ${g.name} needs bytes`);
        if (g.type === 'ssh_key' && g.bytes !== undefined) fail(`generate: ${g.name} is a key pair: no bytes`);
        if (g.type === 'ssh_key' && g.show_to_owner) fail(`generate: ${g.name} is a framework's own key pair: never shown`);
        if (props.includes(g.name)) fail(`generate: ${g.name} is also a property in parameters`);
        if (g.unless !== undefined && !props.includes(g.unless)) fail(`generate: unless ${g.unless} is not a property in parameters`);
      }
      byName.set(m.name, { ...m, dir: folder, validate });
    }
    // one gateway serves every UI of a cluster: names and gateway ports must not collide, nor
    // take a port some framework declares (the gateway's own among them)
    const names = new Map<string, string>();
    const ports = new Map<number, string>();
    const declared = new Set([...byName.values()].flatMap((f) => f.ports.map((p) => String(p.port))));
    for (const f of byName.values()) {
      for (const u of f.ui) {
        const where = `${join(dir, f.name, 'framework.yaml')}: ui: ${u.name}`;
        const other = names.get(u.name) ?? ports.get(u.gateway_port);
        if (other) throw new FrameworkCatalogError(`${where}: its name or gateway_port ${u.gateway_port} is also ${other}'s`);
        if (declared.has(String(u.gateway_port))) throw new FrameworkCatalogError(`${where}: gateway_port ${u.gateway_port} is a port a framework declares`);
        names.set(u.name, `${f.name}/${u.name}`);
        ports.set(u.gateway_port, `${f.name}/${u.name}`);
      }
    }
    const clash = artifactConflict([...byName.values()]);
    if (clash) throw new FrameworkCatalogError(`${join(dir, clash.framework, 'framework.yaml')}: ${clash.why}`);
    // frameworks applied to every cluster are installed first: the others may use their lib
    const always = [...byName.values()].filter((f) => f.always).map((f) => f.name);
    for (const f of byName.values()) if (!f.always) f.depends_on = [...new Set([...f.depends_on, ...always])];
    for (const m of byName.values()) {
      try { resolveOrder(byName, [m.name]); } catch (e) {
        if (e instanceof ResolveError) throw new FrameworkCatalogError(`${join(dir, m.name, 'framework.yaml')}: depends_on: ${e.message}`);
        throw e;
      }
    }
    return new FrameworkCatalog(byName);
  }

  names(): string[] { return [...this.byName.keys()].sort(); }
  /** Frameworks a user may ask for (those applied to every cluster are not listed). */
  optional(): Framework[] { return this.all().filter((f) => !f.always); }
  get(name: string): Framework | undefined { return this.byName.get(name); }
  all(): Framework[] { return this.names().map((n) => this.byName.get(n)!); }

  /** The requested frameworks, those always applied, and their dependencies, in install order. */
  resolve(requested: readonly string[]): Framework[] {
    const always = this.all().filter((f) => f.always).map((f) => f.name);
    return resolveOrder(this.byName, [...new Set([...always, ...requested])]).map((n) => this.byName.get(n)!);
  }
}
