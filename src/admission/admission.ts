// May this project have this cluster? What the spec names exists in the caller's cloud,
// and the project's quota holds it. The lookups are kept per project (LookupCache) so a
// create does not wait on OpenStack; a refusal is always made on fresh quota numbers, and
// an admitted cluster counts against the kept headroom until the next fetch sees it.
import type { Caller } from '../auth/authenticator.js';
import type { Config } from '../config/schema.js';
import type { Flavor, OpenStack } from '../openstack/index.js';
import { LookupCache } from './lookup-cache.js';
import { afterAdmission, compareQuota, quotaHeadroom, quotaNeeds, quotaRefusal, type QuotaHeadroom, type QuotaReport } from './quota.js';
import type { ClusterSpec } from '../clusters/record.js';
import { checkSpecInCloud } from './spec-check.js';

export class Admission {
  private readonly lookups = new LookupCache();

  constructor(private readonly config: Config['openstack']) {}

  /** The two flavors; a 400 naming the attribute when something does not exist. */
  flavors(caller: Caller, spec: ClusterSpec, cloud: OpenStack): Promise<{ master: Flavor; worker: Flavor }> {
    const ttl = this.config.cacheSeconds * 1000;
    return checkSpecInCloud(spec, cloud, (key, load) => this.lookups.get(`${caller.projectId}:${key}`, ttl, load));
  }

  /** The quota report; a 400 with the shortfalls when the cluster cannot fit. */
  async quota(caller: Caller, spec: ClusterSpec, flavors: { master: Flavor; worker: Flavor }, cloud: OpenStack): Promise<QuotaReport> {
    const needs = quotaNeeds(spec, flavors);
    const fresh = () => quotaHeadroom(cloud, caller.projectId);
    let quota = compareQuota(needs, await this.lookups.get(this.key(caller), this.config.quotaCacheSeconds * 1000, fresh));
    if (!quota.fits) quota = compareQuota(needs, await fresh());
    if (!quota.fits) throw quotaRefusal(quota);
    return quota;
  }

  /** Counts an admitted cluster against the kept headroom. */
  admitted(caller: Caller, quota: QuotaReport): void {
    this.lookups.adjust<QuotaHeadroom>(this.key(caller), (h) => afterAdmission(h, quota.needed));
  }

  private key(caller: Caller): string {
    return `${caller.projectId}:headroom`;
  }
}
