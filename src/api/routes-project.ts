// What a create form offers: the project's flavors, images and external networks, read
// with the caller's token and kept per project for SM_OPENSTACK_CACHE_SECONDS (the
// admission's lookup cache), so a form does not wait on OpenStack each time. JSON only.
import { Router, type NextFunction, type Request, type Response } from 'express';
import type { Authenticator, Caller } from '../auth/authenticator.js';
import { LookupCache } from '../admission/lookup-cache.js';
import type { OpenStack } from '../openstack/index.js';
import type { Policy } from '../policy/policy.js';
import { allowed, callerOf } from './caller.js';
import { methodNotAllowed } from './errors.js';

export interface ProjectDeps {
  auth: Authenticator;
  policy: Policy;
  cloudFor(caller: Caller): OpenStack;
  cacheSeconds: number;
}

const LOOKUPS = {
  flavors: async (os: OpenStack) => (await os.nova.flavors())
    .map((f) => ({ id: f.id, name: f.name, vcpus: f.vcpus, ramMb: f.ramMb, diskGb: f.diskGb, ephemeralGb: f.ephemeralGb }))
    .sort((a, b) => a.vcpus - b.vcpus || a.ramMb - b.ramMb || a.name.localeCompare(b.name)),
  images: async (os: OpenStack) => (await os.glance.images())
    .map((i) => ({ id: i.id, name: i.name, minDiskGb: i.minDiskGb, minRamMb: i.minRamMb, ...(i.adminUser ? { sshUser: i.adminUser } : {}) })),
  'external-networks': async (os: OpenStack) => (await os.neutron.networks({ external: true }))
    .map((n) => ({ id: n.id, name: n.name })).sort((a, b) => a.name.localeCompare(b.name)),
} as const;

export function projectRoutes(d: ProjectDeps): Router {
  const r = Router();
  const ask = callerOf(d.auth);
  const allow = allowed(d.policy);
  const cache = new LookupCache();
  for (const [name, load] of Object.entries(LOOKUPS)) {
    const path = `/project/${name}`;
    r.get(path, (req: Request, res: Response, next: NextFunction) => {
      void (async () => {
        const who = await ask(req);
        allow(who, 'disco:list');
        const items = await cache.get(`${who.projectId}:${name}`, d.cacheSeconds * 1000, () => load(d.cloudFor(who)));
        res.setHeader('Cache-Control', 'private, max-age=30');
        res.status(200).json({ [name]: items });
      })().catch(next);
    });
    r.all(path, methodNotAllowed('GET'));
  }
  return r;
}
