// Nova (compute): flavors by name or id, and quota headroom from /limits.
import { NotFoundError } from './errors.js';
import { headroom } from './headroom.js';
import type { OpenStackHttp } from './http.js';
import { isSegment, seg, ServiceClient } from './service-client.js';
import type { Session } from './session.js';

export interface Flavor { id: string; name: string; vcpus: number; ramMb: number; diskGb: number; ephemeralGb: number }

export interface ComputeHeadroom {
  instances: number | null;
  cores: number | null;
  ramMb: number | null;
  limits: { instances: number; cores: number; ramMb: number };
  used: { instances: number; cores: number; ramMb: number };
}

function toFlavor(raw: Record<string, unknown>): Flavor {
  return {
    id: String(raw.id), name: String(raw.name), vcpus: Number(raw.vcpus), ramMb: Number(raw.ram),
    diskGb: Number(raw.disk), ephemeralGb: Number(raw['OS-FLV-EXT-DATA:ephemeral'] ?? 0),
  };
}

export class NovaClient extends ServiceClient {
  constructor(session: Session, http: OpenStackHttp) { super(session, http, 'nova', 'compute', 'v2.1'); }

  /** A flavor by id, else by exact name. */
  async flavor(nameOrId: string): Promise<Flavor> {
    if (isSegment(nameOrId)) try {
      const res = await this.request('flavor', 'GET', `/flavors/${seg(nameOrId)}`);
      return toFlavor((res.body as { flavor: Record<string, unknown> }).flavor);
    } catch (e) {
      if (!(e instanceof NotFoundError)) throw e;
    }
    const found = (await this.flavors()).find((f) => f.name === nameOrId);
    if (!found) {
      throw new NotFoundError('OS_NOT_FOUND', `no flavor with name or id ${JSON.stringify(nameOrId)}`,
        { service: 'nova', operation: 'nova.flavor', status: 404 });
    }
    return found;
  }

  async flavors(): Promise<Flavor[]> {
    const res = await this.request('flavors', 'GET', '/flavors/detail');
    return ((res.body as { flavors?: Record<string, unknown>[] }).flavors ?? []).map(toFlavor);
  }

  /** What the project may still start: instances, cores, RAM. */
  async headroom(): Promise<ComputeHeadroom> {
    const res = await this.request('limits', 'GET', '/limits');
    const a = ((res.body as { limits?: { absolute?: Record<string, number> } }).limits?.absolute ?? {});
    const limits = { instances: a.maxTotalInstances ?? -1, cores: a.maxTotalCores ?? -1, ramMb: a.maxTotalRAMSize ?? -1 };
    const used = { instances: a.totalInstancesUsed ?? 0, cores: a.totalCoresUsed ?? 0, ramMb: a.totalRAMUsed ?? 0 };
    return {
      instances: headroom(limits.instances, used.instances), cores: headroom(limits.cores, used.cores),
      ramMb: headroom(limits.ramMb, used.ramMb), limits, used,
    };
  }
}
