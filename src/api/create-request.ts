// A create's request, read, parsed and checked. For a caller Keystone accepted a moment ago
// (kept by the authenticator), the body is read and the create staged (its checks, key pair
// and secrets: nothing held, nothing written) while Keystone confirms the caller afresh, so a
// create takes about the longer of the two instead of their sum. Keystone's refusal wins over
// whatever the request got wrong, and the policy asks the fresh token's roles.
import type { Request, Response } from 'express';
import type { Authenticator, Caller } from '../auth/authenticator.js';
import { badAttribute } from '../errors/domain-error.js';
import { ATTR } from '../disco-kind/attribute-names.js';
import { SM_SCHEME } from '../disco-kind/kind.js';
import type { Category, OcciRequest } from '../occi/index.js';
import type { ClusterService, StagedCreate } from '../service/cluster-service.js';
import { hasHeaderCredentials } from './body.js';

export interface CreateRequest {
  who: Caller;
  o: OcciRequest;
  mixins: Category[];
  /** A dry run: nothing staged. */
  dry: boolean;
  /** The create staged for the kept caller, whom `who` confirms (ClusterService.commit checks). */
  staged?: StagedCreate;
}

export interface CreateRequestDeps {
  auth: Authenticator;
  clusters: ClusterService;
  /** Keystone asked afresh (with the body's credential attributes, if any). */
  caller(req: Request, o?: OcciRequest): Promise<Caller>;
  /** Header credentials checked, then the body read and parsed (routes-disco.ts). */
  withBody(req: Request, res: Response): Promise<{ who: Caller; o: OcciRequest }>;
  readBody(req: Request, res: Response): Promise<void>;
  parse(req: Request): OcciRequest;
  /** Throws a 403 unless the caller may create. */
  mayCreate(who: Caller): void;
}

/** A create names the kind disco (or no kind) and framework mixins only. */
function checkCreateCategories(o: OcciRequest): void {
  for (const c of o.categories) {
    if (c.class === 'kind' && (c.term !== 'disco' || c.scheme !== SM_SCHEME)) {
      throw badAttribute('Category', `the kind disco; scheme="${SM_SCHEME}"`, `${c.scheme}${c.term}`);
    }
    if (c.class === 'action') throw badAttribute('Category', 'a kind or mixins (actions go to /disco/<id>?action=...)', `${c.scheme}${c.term}`);
  }
}

function isDryRun(o: OcciRequest): boolean {
  const dry = o.attributes.get(ATTR.dryRun);
  if (dry === undefined || dry === false || dry === 'false') return false;
  if (dry !== true && dry !== 'true') throw badAttribute(ATTR.dryRun, 'true or false', dry);
  return true;
}

/** What the request asks for, checked (after the credentials and the policy). */
function asked(o: OcciRequest): { o: OcciRequest; mixins: Category[]; dry: boolean } {
  checkCreateCategories(o);
  return { o, mixins: o.categories.filter((c) => c.class === 'mixin'), dry: isDryRun(o) };
}

export const createRequests = (d: CreateRequestDeps) => async (req: Request, res: Response): Promise<CreateRequest> => {
  const kept = hasHeaderCredentials(req) ? d.auth.known(req.headers) : undefined;
  if (!kept) {
    const { who, o } = await d.withBody(req, res);
    d.mayCreate(who);
    return { who, ...asked(o) };
  }
  // the kept caller's roles are not asked: the policy waits for Keystone's fresh answer
  const begun = (async () => {
    await d.readBody(req, res);
    const a = asked(d.parse(req));
    const staged = a.dry ? undefined : d.clusters.stage(kept, a.o.attributes, a.mixins);
    return { ...a, ...(staged ? { staged } : {}) };
  })();
  begun.catch(() => undefined); // awaited below, after Keystone's answer
  const who = await d.caller(req);
  d.mayCreate(who);
  return { who, ...(await begun) };
};
