// What admission reads of a project instead of its every record: how many clusters it has,
// and the few records whose room OpenStack's numbers may not show yet. Both stores keep
// the count and an index of those records in the same step as the record's own write.
import type { ClusterRecord } from '../clusters/record.js';

/** Being deleted, or failed: whatever it still holds, the cloud's own numbers count. */
export function goingAway(r: Pick<ClusterRecord, 'desired' | 'state'>): boolean {
  return r.desired === 'absent' || r.state === 'failed' || r.state === 'deleted';
}

/** Still wanted, and Heat has not acknowledged a stack: its room is not in the cloud's quota usage yet. */
export function awaitsStack(r: Pick<ClusterRecord, 'desired' | 'state' | 'stackId'>): boolean {
  return !goingAway(r) && !r.stackId;
}

export interface HoldingsQuery {
  /** Records made at or after this time (ms) are returned too: a headroom read earlier cannot include them. */
  since: number;
  /** Records with these ids are returned too when they exist (reservations that became records). */
  ids: readonly string[];
}

/** The part of a record admission reads: the stores keep it beside the record, so that
 * reading a few hundred of them costs next to nothing. */
export type HoldingRow = Pick<ClusterRecord, 'id' | 'projectId' | 'createdAt' | 'desired' | 'state' | 'stackId' | 'admittedNeeds'>;

export function holdingRow(r: HoldingRow): HoldingRow {
  return { id: r.id, projectId: r.projectId, createdAt: r.createdAt, desired: r.desired, state: r.state, stackId: r.stackId, admittedNeeds: r.admittedNeeds };
}

export interface Holdings {
  /** Every record of the project, in any state. */
  count: number;
  /** The rows of the records that await a stack, of those made since `since`, and of those of `ids`: each once, in no order. */
  records: HoldingRow[];
}
