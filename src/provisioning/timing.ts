// When the reconciler looks again, as pure functions of the record and the clock: one
// backoff for everything in progress, the next look at a settled cluster (its expiry, a
// failed one's retention), how long a cluster has been in its phase, and whether a stack
// create whose answer was lost may still bring a stack.
import { expiresAt } from '../clusters/expiry.js';
import type { ClusterRecord } from '../clusters/record.js';

/** Timers are not for days: a far expiry is looked at again within the hour. */
const MAX_WAIT_MS = 3_600_000;

/** The one requeue policy of work in progress: the delay after `polls` looks in a phase grows by half each time, from pollInitialMs up to `capMs`. */
export function backoff(polls: number, p: { pollInitialMs: number; pollMaxMs: number }, capMs = p.pollMaxMs): number {
  return Math.min(capMs, Math.round(p.pollInitialMs * 1.5 ** polls));
}

/** The next look at a settled cluster: its expiry or `other` (ms since epoch), the earlier; undefined: none. */
export function nextLook(r: Pick<ClusterRecord, 'lifetimeSeconds' | 'deadline' | 'readyAt'>, other: number | null, now: number): number | undefined {
  const expires = expiresAt(r, r.readyAt);
  const times = [expires === null ? null : Date.parse(expires), other].filter((x): x is number => x !== null);
  if (!times.length) return undefined;
  return Math.max(0, Math.min(MAX_WAIT_MS, Math.min(...times) - now));
}

/** When a failed cluster has been kept for inspection long enough (null: kept until DELETE). */
export function retentionEnd(r: Pick<ClusterRecord, 'history' | 'updatedAt'>, seconds: number): number | null {
  if (!seconds) return null;
  const failedAt = [...(r.history ?? [])].reverse().find((h) => h.state === 'failed')?.time ?? r.updatedAt;
  return Date.parse(failedAt) + seconds * 1000;
}

/** When the record entered its current state (its last history entry). */
export function phaseStart(r: Pick<ClusterRecord, 'history' | 'state' | 'updatedAt'>): number {
  const h = r.history?.at(-1);
  return Date.parse(h && h.state === r.state ? h.time : r.updatedAt);
}

/** Within createInDoubtSeconds of a create whose answer was lost (a timeout, a crash), the
 * stack may still appear: nothing is created again (Heat's name check is not atomic: two
 * creates of one name at once can make two stacks) and no delete concludes there is no stack. */
export function createInDoubt(r: { createSentAt?: string | null }, now: number, p: { createInDoubtSeconds: number }): boolean {
  return !!r.createSentAt && now - Date.parse(r.createSentAt) < p.createInDoubtSeconds * 1000;
}
