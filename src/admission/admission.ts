// May this project have this cluster? What the spec names exists in the caller's cloud,
// the project is under its cluster cap, and the quota holds it. Lookups are kept per
// project (LookupCache) so a create does not wait on OpenStack; a refusal is always made
// on fresh quota numbers. Room for clusters being admitted is held in the store, so the
// check holds across every API process, not only this one.
import type { Caller } from '../auth/authenticator.js';
import type { Config } from '../config/schema.js';
import type { Flavor, OpenStack } from '../openstack/index.js';
import type { ClusterStore } from '../store/cluster-store.js';
import { DomainError } from '../errors/domain-error.js';
import { LookupCache, STALE_FACTOR } from './lookup-cache.js';
import { compareQuota, quotaHeadroom, quotaNeeds, quotaRefusal, type QuotaHeadroom, type QuotaNeeds, type QuotaReport } from './quota.js';
import { clusterCount, heldNeeds, minus } from './reservation.js';
import type { ClusterSpec } from '../clusters/record.js';
import { checkSpecInCloud, type CloudFacts } from './spec-check.js';

/** How long room is held for a cluster being admitted: far longer than an admission takes. */
const HOLD_MS = 60_000;

interface Headroom { at: number; headroom: QuotaHeadroom }

export class Admission {
  private readonly lookups = new LookupCache();

  constructor(private readonly config: Config['openstack'], private readonly store: ClusterStore, private readonly maxClusters: number) {}

  /** The two flavors and the master image's login user; a 400 naming the attribute when something does not exist. */
  cloudFacts(caller: Caller, spec: ClusterSpec, cloud: OpenStack): Promise<CloudFacts> {
    const ttl = this.config.cacheSeconds * 1000;
    return checkSpecInCloud(spec, cloud, (key, load) => this.lookups.get(`${caller.projectId}:${key}`, ttl, load));
  }

  /** The quota report for a cluster not being made (the dry run): nothing is held. */
  async report(caller: Caller, spec: ClusterSpec, flavors: { master: Flavor; worker: Flavor }, cloud: OpenStack, self: string): Promise<QuotaReport> {
    return this.check(caller, quotaNeeds(spec, flavors), cloud, self, []);
  }

  /**
   * Holds room for cluster `self` and checks the cap and the quota with everything the
   * project holds. Resolves once admitted (then `done(self)` when its record is written);
   * a refusal releases the room.
   */
  async admit(caller: Caller, spec: ClusterSpec, flavors: { master: Flavor; worker: Flavor }, cloud: OpenStack, self: string): Promise<QuotaReport> {
    const needs = quotaNeeds(spec, flavors);
    const now = Date.now();
    const live = await this.store.reserve(caller.projectId, { id: self, until: now + HOLD_MS, needs: { ...needs } }, now);
    try {
      return await this.check(caller, needs, cloud, self, live);
    } catch (e) {
      await this.store.release(caller.projectId, self).catch(() => undefined);
      throw e;
    }
  }

  /** The record is written: it holds its own room from now on. */
  done(caller: Caller, self: string): Promise<void> {
    return this.store.release(caller.projectId, self);
  }

  private async check(caller: Caller, needs: QuotaNeeds, cloud: OpenStack, self: string, live: Awaited<ReturnType<ClusterStore['reserve']>>): Promise<QuotaReport> {
    // never the project's every record: its count, and the few whose room the cloud may not
    // show yet. A kept headroom is served until STALE_FACTOR times its time to live, so
    // records made since then (with a second's margin for clocks) are all it can have missed.
    const ttl = this.config.quotaCacheSeconds * 1000;
    const since = Date.now() - ttl * STALE_FACTOR - 1000;
    const { count: stored, records } = await this.store.holdings(caller.projectId, { since, ids: [self, ...live.map((x) => x.id)] });
    const count = clusterCount(stored, records, live, self) + 1;
    if (count > this.maxClusters) {
      throw new DomainError('CONFLICT', `the project has ${count - 1} clusters (or is making them), at most ${this.maxClusters} ` +
        '(SM_MAX_CLUSTERS_PER_PROJECT): delete one first');
    }
    const fresh = async (): Promise<Headroom> => { const at = Date.now(); return { at, headroom: await quotaHeadroom(cloud, caller.projectId) }; };
    const against = (h: Headroom) => compareQuota(needs, minus(h.headroom, heldNeeds(records, live, self, h.at)));
    let quota = against(await this.lookups.get(`${caller.projectId}:headroom`, ttl, fresh));
    if (!quota.fits) quota = against(await fresh());
    if (!quota.fits) throw quotaRefusal(quota);
    return quota;
  }
}
