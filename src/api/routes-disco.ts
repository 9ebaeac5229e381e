// The Kind collection /disco/ and its members /disco/<uuid>.
import { Router, type NextFunction, type Request, type Response } from 'express';
import type { Authenticator, Caller } from '../auth/authenticator.js';
import { badAttribute, notFound } from '../errors/domain-error.js';
import { EVENTS_PAGE_MAX } from '../clusters/events.js';
import { ACTION_SCHEME, SM_SCHEME, KIND_LOCATION } from '../disco-kind/kind.js';
import { ATTR } from '../disco-kind/attribute-names.js';
import type { Plan } from '../service/plan.js';
import type { ClusterService } from '../service/cluster-service.js';
import { clusterLocation, clusterView } from '../disco-kind/view.js';
import type { FrameworkCatalog } from '../frameworks/catalog.js';
import {
  COLLECTION_TYPES, ENTITY_TYPES, renderCollection, renderEntity, type OcciRequest,
} from '../occi/index.js';
import { AnswerCache } from './answer-cache.js';
import { methodNotAllowed } from './errors.js';
import { occiRequest } from './occi-input.js';
import { baseUrl, choose, send } from './respond.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
type Handler = (req: Request, res: Response) => Promise<void>;
const wrap = (h: Handler) => (req: Request, res: Response, next: NextFunction) => { h(req, res).catch(next); };

export interface DiscoRouteDeps {
  auth: Authenticator;
  clusters: ClusterService;
  /** The dry run: what a create would make, made of nothing. */
  plan(caller: Caller, attrs: OcciRequest['attributes'], mixins: OcciRequest['categories']): Promise<Plan>;
  catalog: FrameworkCatalog;
  publicUrl: string | null;
  /** How many GET answers to keep (see answer-cache.ts); 0: none. */
  answerCacheSize: number;
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

export function discoRoutes(d: DiscoRouteDeps): Router {
  const r = Router();
  const caller = (req: Request, o?: OcciRequest): Promise<Caller> => d.auth.authenticate(req.headers, o?.attributes);
  const id = (req: Request): string => {
    const v = String(req.params.id);
    if (!UUID.test(v)) throw notFound(`no cluster ${v}`);
    return v;
  };

  r.get(['/disco/', '/disco'], wrap(async (req, res) => {
    const type = choose(req, COLLECTION_TYPES);
    const who = await caller(req, occiRequest(req));
    const records = await d.clusters.list(who);
    send(res, renderCollection(records.map((rec) => ({
      location: clusterLocation(rec.id),
      // collections never carry private keys: GET the cluster for its own
      ...(type === 'application/occi+json' ? { view: clusterView(rec, undefined, d.catalog) } : {}),
    })), type, baseUrl(req, d.publicUrl)));
  }));

  r.post(['/disco/', '/disco'], wrap(async (req, res) => {
    const type = choose(req, ENTITY_TYPES);
    const o = occiRequest(req);
    const who = await caller(req, o);
    checkCreateCategories(o);
    const mixins = o.categories.filter((c) => c.class === 'mixin');
    const dry = o.attributes.get(ATTR.dryRun);
    if (dry !== undefined && dry !== false && dry !== 'false') {
      if (dry !== true && dry !== 'true') throw badAttribute(ATTR.dryRun, 'true or false', dry);
      // a plan is no OCCI entity: it is always JSON
      res.status(200).type('application/json; charset=utf-8').send(JSON.stringify(await d.plan(who, o.attributes, mixins), null, 2));
      return;
    }
    const rec = await d.clusters.create(who, o.attributes, mixins);
    const location = `${baseUrl(req, d.publicUrl)}${clusterLocation(rec.id)}`;
    res.setHeader('Location', location);
    if (type === 'application/occi+json') {
      send(res, renderEntity(clusterView(rec, undefined, d.catalog), type, baseUrl(req, d.publicUrl)), 201);
    } else {
      // ICCLab's answer, which its clients expect: Location and the body OK
      res.setHeader('X-OCCI-Location', location);
      res.status(201).type(`${type}; charset=utf-8`).send('OK');
    }
  }));
  r.all(['/disco/', '/disco'], methodNotAllowed('GET, POST'));

  const answers = new AnswerCache({ max: d.answerCacheSize, ttlMs: 60_000 });
  r.get('/disco/:id', wrap(async (req, res) => {
    const type = choose(req, ENTITY_TYPES);
    const who = await caller(req, occiRequest(req));
    const rec = await d.clusters.get(who, id(req)); // the caller's project owns it: only then a kept answer
    const base = baseUrl(req, d.publicUrl);
    const key = AnswerCache.key(rec.id, rec.revision, type, base);
    let answer = answers.get(key);
    if (!answer) answers.set(key, answer = renderEntity(clusterView(rec, d.clusters.ownerSecrets(rec), d.catalog), type, base));
    send(res, answer);
  }));

  r.get('/disco/:id/events', wrap(async (req, res) => {
    const who = await caller(req, occiRequest(req));
    res.status(200).json(await d.clusters.events(who, id(req), eventsPage(req.query)));
  }));
  r.all('/disco/:id/events', methodNotAllowed('GET'));

  r.delete('/disco/:id', wrap(async (req, res) => {
    choose(req, ENTITY_TYPES);
    const who = await caller(req, occiRequest(req));
    await d.clusters.delete(who, id(req));
    res.status(200).type('text/plain; charset=utf-8').send('OK');
  }));

  r.post('/disco/:id', wrap(async (req, res) => {
    const type = choose(req, ENTITY_TYPES);
    const o = occiRequest(req);
    const who = await caller(req, o);
    const clusterId = id(req);
    const action = req.query.action;
    if (action !== undefined) {
      const term = String(action);
      const cat = o.categories.find((c) => c.class === 'action');
      if (cat && (cat.scheme !== ACTION_SCHEME || cat.term !== term)) {
        throw badAttribute('Category', `the action ${ACTION_SCHEME}${term}`, `${cat.scheme}${cat.term}`);
      }
      const rec = await d.clusters.action(who, clusterId, term, o.attributes);
      send(res, renderEntity(clusterView(rec, undefined, d.catalog), type, baseUrl(req, d.publicUrl)), 202);
      return;
    }
    await d.clusters.update(who, clusterId, o.attributes);
    res.status(200).type('text/plain; charset=utf-8').send('OK');
  }));
  r.all('/disco/:id', methodNotAllowed('GET, POST, DELETE'));

  r.all(`${KIND_LOCATION}*`, () => { throw notFound('no such resource'); });
  return r;
}


/** ?limit=N (1..EVENTS_PAGE_MAX, default all of them up to that) and ?marker=<event id>. */
function eventsPage(q: Record<string, unknown>): { limit: number; marker?: string } {
  const limit = q.limit === undefined ? EVENTS_PAGE_MAX : typeof q.limit === 'string' && /^\d{1,4}$/.test(q.limit) ? Number(q.limit) : NaN;
  if (!(limit >= 1 && limit <= EVENTS_PAGE_MAX)) throw badAttribute('limit', `a whole number from 1 to ${EVENTS_PAGE_MAX}`, q.limit);
  if (q.marker !== undefined && (typeof q.marker !== 'string' || q.marker.length > 200)) throw badAttribute('marker', 'one event id', q.marker);
  return { limit, ...(q.marker === undefined ? {} : { marker: q.marker as string }) };
}
