// A cluster's state changes, kept in its record (oldest first, the last HISTORY_MAX), for
// GET /disco/<id>/events. Every writer of a record's state goes through recordTransition.
import type { ClusterRecord, HistoryEntry } from './record.js';

export const HISTORY_MAX = 100;

/** `next` with an entry added when its state or reason differs from `prev`'s. */
export function recordTransition(prev: ClusterRecord | undefined, next: ClusterRecord): ClusterRecord {
  if (prev && prev.state === next.state && prev.reason === next.reason) return next;
  const entry: HistoryEntry = { time: next.updatedAt, state: next.state,
    ...(next.reason ? { reason: next.reason } : {}), ...(next.message ? { message: next.message } : {}) };
  return { ...next, history: [...(next.history ?? []), entry].slice(-HISTORY_MAX) };
}
