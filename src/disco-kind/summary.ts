// A record as the change stream's summary (src/client/summary.ts): the same values GET renders
// for these fields (clusterView), made straight from the record, with no secret in them.
import type { ClusterRecord } from '../clusters/record.js';
import { expiresAt } from '../clusters/expiry.js';
import type { FrameworkCatalog } from '../frameworks/catalog.js';
import type { ClusterSummary } from '../client/summary.js';
import { frameworkMixins } from './kind.js';
import { progressText } from './view.js';

export function clusterSummary(r: ClusterRecord, catalog: FrameworkCatalog): ClusterSummary {
  const wanted = new Set(r.spec.frameworks.map((f) => f.name));
  const s: ClusterSummary = {
    // as GET's icclab.disco.state (a record's last moment, deleted, is as the client reads any state)
    id: r.id, revision: r.revision ?? 0, title: r.spec.name, state: r.state as ClusterSummary['state'],
    // in the catalog's order, as GET's mixins
    frameworks: frameworkMixins(catalog).filter((m) => wanted.has(m.term)).map((m) => m.term),
    workers: r.spec.workers, masterFlavor: r.spec.masterFlavor, workerFlavor: r.spec.workerFlavor,
  };
  const put = <K extends keyof ClusterSummary>(k: K, v: ClusterSummary[K] | null | undefined) => { if (v !== null && v !== undefined && v !== '') s[k] = v; };
  put('reason', r.reason);
  put('message', r.message);
  if (r.progress) put('progress', progressText(r.progress));
  put('createdAt', r.createdAt);
  put('expiresAt', expiresAt(r, r.readyAt));
  return s;
}
