// When the reconciler looks at a settled cluster again, and how long a cluster has been in
// its phase: pure functions of the record (and the clock).
import { expiresAt } from '../clusters/expiry.js';
import type { ClusterRecord } from '../clusters/record.js';

export type Step = { requeueAfterMs?: number };
/** Nothing more to do until something asks. */
export const DONE: Step = {};
/** Look again right away. */
export const NOW: Step = { requeueAfterMs: 0 };

/** Timers are not for days: a far expiry is looked at again within the hour. */
const MAX_WAIT_MS = 3_600_000;

/** The next look at a settled cluster: its expiry or `other` (ms since epoch), the earlier; none: done. */
export function nextLook(r: Pick<ClusterRecord, 'lifetimeSeconds' | 'deadline' | 'readyAt'>, other: number | null = null, now = Date.now()): Step {
  const expires = expiresAt(r, r.readyAt);
  const times = [expires === null ? null : Date.parse(expires), other].filter((x): x is number => x !== null);
  if (!times.length) return DONE;
  return { requeueAfterMs: Math.max(0, Math.min(MAX_WAIT_MS, Math.min(...times) - now)) };
}

/** When a failed cluster has been kept for inspection long enough (null: kept until DELETE). */
export function retentionEnd(r: Pick<ClusterRecord, 'history' | 'updatedAt'>, minutes: number): number | null {
  if (!minutes) return null;
  const failedAt = [...(r.history ?? [])].reverse().find((h) => h.state === 'failed')?.time ?? r.updatedAt;
  return Date.parse(failedAt) + minutes * 60_000;
}

/** When the record entered its current state (its last history entry). */
export function phaseStart(r: Pick<ClusterRecord, 'history' | 'state' | 'updatedAt'>): number {
  const h = r.history?.at(-1);
  return Date.parse(h && h.state === r.state ? h.time : r.updatedAt);
}

/** How long after a create whose answer was lost (a timeout, a crash) the stack may still
 * appear: within it nothing is created again (Heat's name check is not atomic: two creates
 * of one name at once can make two stacks) and no delete concludes there is no stack. */
export const CREATE_IN_DOUBT_MS = 180_000;

export function createInDoubt(r: { createSentAt?: string | null }): boolean {
  return !!r.createSentAt && Date.now() - Date.parse(r.createSentAt) < CREATE_IN_DOUBT_MS;
}
