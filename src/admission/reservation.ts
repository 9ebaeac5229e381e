// What a project already holds that OpenStack's own numbers may not show yet: clusters
// being admitted right now (reservations in the store, from any API process) and
// admitted clusters whose stack Heat has not acknowledged, or that were made after the
// headroom was read. Pure: table-tested. The records come from the store's holdings
// (store/holdings.ts), never from a listing of the project.
import type { Reservation } from '../store/cluster-store.js';
import { goingAway, type HoldingRow } from '../store/holdings.js';
import type { QuotaHeadroom, QuotaNeeds } from './quota.js';

const KEYS: (keyof QuotaNeeds)[] = ['instances', 'cores', 'ramMb', 'floatingIps', 'networks', 'routers', 'securityGroups'];

/** How many clusters other than `self` the project has (`stored` records, `records` among
 * them) or is admitting: a reservation whose record is written (one of `records`) is counted once. */
export function clusterCount(stored: number, records: readonly HoldingRow[], live: readonly Reservation[], self: string): number {
  const ids = new Set(records.map((r) => r.id));
  return stored - (ids.has(self) ? 1 : 0) + live.filter((x) => x.id !== self && !ids.has(x.id)).length;
}

/** What others hold and `headroomAt` (when the headroom was read) cannot include; `self` is the cluster being admitted. */
export function heldNeeds(records: readonly HoldingRow[], live: readonly Reservation[], self: string, headroomAt: number): QuotaNeeds {
  const held: QuotaNeeds = { instances: 0, cores: 0, ramMb: 0, floatingIps: 0, networks: 0, routers: 0, securityGroups: 0 };
  const add = (n: Record<string, number> | undefined) => { for (const k of KEYS) held[k] += Number(n?.[k] ?? 0); };
  const ids = new Set(records.map((r) => r.id));
  for (const r of records) {
    // a failed or deleted cluster is going away: whatever it still holds, OpenStack counts
    if (r.id === self || goingAway(r)) continue;
    if (!r.stackId || Date.parse(r.createdAt) >= headroomAt) add(r.admittedNeeds);
  }
  for (const x of live) if (x.id !== self && !ids.has(x.id)) add(x.needs);
  return held;
}

/** The headroom once `held` is taken off (unlimited stays unlimited). */
export function minus(h: QuotaHeadroom, held: QuotaNeeds): QuotaHeadroom {
  const out = { ...h };
  for (const k of KEYS) { const left = h[k]; if (left !== null) out[k] = left - held[k]; }
  return out;
}
