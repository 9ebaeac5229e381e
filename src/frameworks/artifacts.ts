// The artifacts frameworks download (manifest `artifacts:`): the catalog's checks, and the
// table a node script gets (disco_artifact looks an artifact up by name there, and checks
// the download against the SHA-512 it pins).
import type { ArtifactDecl, FrameworkManifest } from './manifest.js';

/** One line per artifact: "name path sha512 digest_of url" (no field holds a space: the schema). */
export function artifactTable(frameworks: readonly Pick<FrameworkManifest, 'artifacts'>[]): string {
  return frameworks.flatMap((f) => f.artifacts).map((a) => `${a.name} ${a.path} ${a.sha512} ${a.digest_of ?? 'file'} ${a.url}`).join('\n');
}

/** Why the catalog's artifacts cannot be used together, or undefined: a node looks an artifact
 * up by name, and the master's cache and a mirror keep it by path, so both are catalog-wide. */
export function artifactConflict(frameworks: readonly Pick<FrameworkManifest, 'name' | 'artifacts'>[]): { framework: string; why: string } | undefined {
  const names = new Map<string, string>();
  const paths = new Map<string, string>();
  for (const f of frameworks) {
    for (const a of f.artifacts) {
      const other = names.get(a.name) ?? paths.get(a.path);
      if (other) return { framework: f.name, why: `artifacts: ${a.name} (${a.path}): its name or path is also ${other}'s` };
      if (/\.(failed|part)$/.test(a.path)) return { framework: f.name, why: `artifacts: ${a.name}: a path may not end in .failed or .part (the master's cache uses those)` };
      names.set(a.name, `${f.name}/${a.name}`);
      paths.set(a.path, `${f.name}/${a.name}`);
    }
  }
  return undefined;
}

/** Every artifact of the catalog, with the framework declaring it (mirror-sync, docs). */
export function allArtifacts(frameworks: readonly Pick<FrameworkManifest, 'name' | 'artifacts'>[]): (ArtifactDecl & { framework: string })[] {
  return frameworks.flatMap((f) => f.artifacts.map((a) => ({ ...a, framework: f.name })));
}
