// A cluster's worker count in its record: a scale, or the rollback of a failed one, changes
// the spec, the facts the manifests' expressions see and the attribute GET shows together.
import type { ClusterRecord } from './record.js';
import { ATTR } from '../disco-kind/attribute-names.js';

/** The record's parts that name the worker count, set to `workers` (a scale, or its rollback). */
export function withWorkers(r: ClusterRecord, workers: number): Pick<ClusterRecord, 'spec' | 'attributes'> {
  return {
    spec: { ...r.spec, workers, facts: { ...r.spec.facts, workers, nodes: workers + 1 } },
    attributes: { ...r.attributes, [ATTR.workers]: workers },
  };
}
