// Disposable clusters: icclab.disco.lifetime (seconds from ready) and icclab.disco.deadline
// (an absolute time) delete a cluster by themselves; the earlier of the two wins. Both are
// kept in the record, so expiry survives restarts.
import type { AttributeValue } from '../occi/model.js';
import { badAttribute } from '../errors/domain-error.js';
import { ATTR } from '../disco-kind/attribute-names.js';

export interface Expiry {
  /** Seconds from the first time the cluster was ready; null: none. */
  lifetimeSeconds: number | null;
  /** ISO 8601; null: none. */
  deadline: string | null;
}

const MAX_LIFETIME = 366 * 24 * 3600;

/** The attributes of a create or a partial update; absent ones keep `current`. "" or "none" clears one. */
export function parseExpiry(attrs: Map<string, AttributeValue>, current: Expiry, now = Date.now()): Expiry {
  const out = { ...current };
  const lifetime = attrs.get(ATTR.lifetime);
  if (lifetime !== undefined) {
    const s = String(lifetime).trim();
    if (s === '' || s === 'none') out.lifetimeSeconds = null;
    else if (typeof lifetime === 'boolean' || !/^\d+$/.test(s) || Number(s) < 1 || Number(s) > MAX_LIFETIME) {
      throw badAttribute(ATTR.lifetime, `whole seconds from ready, 1 to ${MAX_LIFETIME}, or "none"`, lifetime);
    } else out.lifetimeSeconds = Number(s);
  }
  const deadline = attrs.get(ATTR.deadline);
  if (deadline !== undefined) {
    const s = String(deadline).trim();
    const t = Date.parse(s);
    if (s === '' || s === 'none') out.deadline = null;
    else if (typeof deadline !== 'string' || !/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/.test(s) || Number.isNaN(t)) {
      throw badAttribute(ATTR.deadline, 'an ISO 8601 time with its zone, e.g. 2026-12-01T18:00:00Z, or "none"', deadline);
    } else if (t <= now) {
      throw badAttribute(ATTR.deadline, `a time in the future (it is ${new Date(now).toISOString()} now)`, deadline);
    } else out.deadline = new Date(t).toISOString();
  }
  return out;
}

/** When the cluster goes: the deadline, or ready + lifetime, the earlier; null when neither applies yet. */
export function expiresAt(e: Partial<Expiry>, readyAt: string | null | undefined): string | null {
  const times: number[] = [];
  if (e.deadline) times.push(Date.parse(e.deadline));
  if (e.lifetimeSeconds && readyAt) times.push(Date.parse(readyAt) + e.lifetimeSeconds * 1000);
  return times.length ? new Date(Math.min(...times)).toISOString() : null;
}
