// A cluster as the change stream carries it (GET /disco/-/changes): the list's own fields and
// what a wait follows (state, reason, message, progress), never the whole resource, and each
// change after the snapshot as a delta: only the fields that changed since what the stream last
// sent of that cluster, a field gone as null. Pure: the service makes deltas with deltaOf, the
// dashboard and the CLI apply them with applyDelta; both ends of the wire use these same names.
import type { Cluster } from './cluster.js';

/** The fields a summary may carry besides id and revision. */
export const SUMMARY_FIELDS = ['title', 'state', 'reason', 'message', 'progress', 'frameworks', 'workers', 'masterFlavor', 'workerFlavor', 'createdAt', 'expiresAt'] as const;
export type SummaryField = (typeof SUMMARY_FIELDS)[number];

/** Those fields of a Cluster, and the record's revision (a new one on every change). */
export type ClusterSummary = Pick<Cluster, 'id' | SummaryField> & { revision: number };

/** What changed in one cluster: its id and new revision, the changed fields, null for a field now absent. */
export type SummaryDelta = { id: string; revision: number } & { [K in SummaryField]?: ClusterSummary[K] | null };

const same = (a: unknown, b: unknown): boolean =>
  a === b || (Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => x === b[i]));

/** The delta from `prev` (what the stream sent last; undefined: nothing yet, so every field) to
 * `next`: id and revision always, then the fields that differ. A new revision that changed no
 * field of these (an address, a stack status) is still told, as id and revision alone, for a page
 * that shows the cluster whole to read it again. Undefined when nothing at all changed. */
export function deltaOf(prev: ClusterSummary | undefined, next: ClusterSummary): SummaryDelta | undefined {
  const d: Record<string, unknown> = { id: next.id, revision: next.revision };
  let changed = !prev || prev.revision !== next.revision;
  for (const k of SUMMARY_FIELDS) {
    const now = next[k];
    if (prev && same(prev[k], now)) continue;
    if (now === undefined && !prev) continue; // absent from the first one: nothing to say
    d[k] = now ?? null;
    changed = true;
  }
  return changed ? (d as SummaryDelta) : undefined;
}

/** `prev` with the delta applied (a delta for a cluster not known yet is all of it). */
export function applyDelta<T extends ClusterSummary | Cluster>(prev: T | undefined, d: SummaryDelta): T {
  const out: Record<string, unknown> = { ...(prev ?? {}), id: d.id, revision: d.revision };
  for (const k of SUMMARY_FIELDS) {
    if (!(k in d)) continue;
    const v = d[k];
    if (v === null || v === undefined) delete out[k]; else out[k] = v;
  }
  return out as T;
}

/** A summary as a Cluster: what the stream does not carry (secrets, addresses, UIs, actions) left empty until the cluster is opened. */
export function clusterOfSummary(s: ClusterSummary | SummaryDelta): Cluster {
  return applyDelta<Cluster>({ id: s.id, title: s.id, state: 'pending', frameworks: [], uis: [], properties: {}, actions: [], attributes: {} }, s as SummaryDelta);
}
