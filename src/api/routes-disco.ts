// The Kind collection /disco/ and its members /disco/<uuid>.
import { Router, type NextFunction, type Request, type Response } from 'express';
import type { Authenticator, Caller } from '../auth/authenticator.js';
import { badAttribute, notFound } from '../errors/domain-error.js';
import { EVENTS_PAGE_MAX } from '../clusters/events.js';
import { ACTION_SCHEME, KIND_LOCATION } from '../disco-kind/kind.js';
import { ATTR } from '../disco-kind/attribute-names.js';
import type { Plan } from '../service/plan.js';
import type { ClusterService } from '../service/cluster-service.js';
import { clusterLocation, clusterView, hidden } from '../disco-kind/view.js';
import { changeRule, type Policy } from '../policy/policy.js';
import { allowed, callerOf, subject } from './caller.js';
import type { FrameworkCatalog } from '../frameworks/catalog.js';
import {
  COLLECTION_TYPES, ENTITY_TYPES, renderCollection, renderEntity, type OcciLimits, type OcciRequest,
} from '../occi/index.js';
import { AnswerCache } from './answer-cache.js';
import { methodNotAllowed } from './errors.js';
import { occiRequest } from './occi-input.js';
import { hasHeaderCredentials, type BodyReader } from './body.js';
import { createRequests } from './create-request.js';
import { choose, send } from './respond.js';
import { listPage, nextLink, pageOf } from './paging.js';
import { entityTag, modelTag, noneMatchHolds, validatorHeaders, type RenderingOf } from './etag.js';
import { requestBaseUrl } from './host.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
type Handler = (req: Request, res: Response) => Promise<void>;
const wrap = (h: Handler) => (req: Request, res: Response, next: NextFunction) => { h(req, res).catch(next); };

export interface DiscoRouteDeps {
  /** Reads a request body (bounded in bytes). */
  readBody: BodyReader;
  /** What one request may carry. */
  limits: OcciLimits;
  auth: Authenticator;
  clusters: ClusterService;
  /** The dry run: what a create would make, made of nothing. */
  plan(caller: Caller, attrs: OcciRequest['attributes'], mixins: OcciRequest['categories']): Promise<Plan>;
  catalog: FrameworkCatalog;
  publicUrl: string | null;
  /** How many GET answers to keep (see answer-cache.ts); 0: none. */
  answerCacheSize: number;
  /** Who may do what (etc/sm.json "policy"). */
  policy: Policy;
  /** The bytes they may take (answer-cache.ts); default ANSWER_CACHE_BYTES. */
  answerCacheBytes?: number;
}

export function discoRoutes(d: DiscoRouteDeps): Router {
  const r = Router();
  const ask = callerOf(d.auth);
  const caller = (req: Request, o?: OcciRequest): Promise<Caller> => ask(req, o?.attributes);
  /** A request that takes a body: credentials in headers are checked before the body is read
   * and parsed; only old clients' credential attributes need the parse first. */
  const withBody = async (req: Request, res: Response): Promise<{ who: Caller; o: OcciRequest }> => {
    const early = hasHeaderCredentials(req) ? await caller(req) : undefined;
    await d.readBody(req, res);
    const o = occiRequest(req, d.limits);
    return { who: early ?? await caller(req, o), o };
  };
  const allow = allowed(d.policy);
  const id = (req: Request): string => {
    const v = String(req.params.id);
    if (!UUID.test(v)) throw notFound(`no cluster ${v}`);
    return v;
  };

  r.get(['/disco/', '/disco'], wrap(async (req, res) => {
    const type = choose(req, COLLECTION_TYPES);
    const who = await caller(req, occiRequest(req, d.limits));
    allow(who, 'disco:list');
    const base = requestBaseUrl(req, d.publicUrl);
    const page = listPage(req.query);
    const { items: records, next } = pageOf(await d.clusters.list(who), page); // paging.ts: created_at, then id
    if (next !== undefined) res.setHeader('Link', nextLink(base, KIND_LOCATION, page, next));
    send(res, renderCollection(records.map((rec) => ({
      location: clusterLocation(rec.id),
      // collections never carry private keys: GET the cluster for its own
      ...(type === 'application/occi+json' ? { view: clusterView(rec, undefined, d.catalog) } : {}),
    })), type, base));
  }));

  const createRequest = createRequests({ auth: d.auth, clusters: d.clusters, caller, withBody, readBody: d.readBody,
    parse: (req) => occiRequest(req, d.limits), mayCreate: (who) => allow(who, 'disco:create') });
  r.post(['/disco/', '/disco'], wrap(async (req, res) => {
    const type = choose(req, ENTITY_TYPES);
    const { who, o, mixins, dry, staged } = await createRequest(req, res);
    if (dry) {
      // a plan is no OCCI entity: it is always JSON
      res.status(200).type('application/json; charset=utf-8').send(JSON.stringify(await d.plan(who, o.attributes, mixins), null, 2));
      return;
    }
    const rec = staged ? await d.clusters.commit(who, staged) : await d.clusters.create(who, o.attributes, mixins);
    const location = `${requestBaseUrl(req, d.publicUrl)}${clusterLocation(rec.id)}`;
    res.setHeader('Location', location);
    if (type === 'application/occi+json') {
      send(res, renderEntity(clusterView(rec, undefined, d.catalog), type, requestBaseUrl(req, d.publicUrl)), 201);
    } else {
      // ICCLab's answer, which its clients expect: Location and the body OK
      res.setHeader('X-OCCI-Location', location);
      res.status(201).type(`${type}; charset=utf-8`).send('OK');
    }
  }));
  r.all(['/disco/', '/disco'], methodNotAllowed('GET, POST'));

  const answers = new AnswerCache({ max: d.answerCacheSize, ttlMs: 60_000, ...(d.answerCacheBytes === undefined ? {} : { maxBytes: d.answerCacheBytes }) });
  r.get('/disco/:id', wrap(async (req, res) => {
    const type = choose(req, ENTITY_TYPES);
    const who = await caller(req, occiRequest(req, d.limits));
    allow(who, 'disco:get');
    const rec = await d.clusters.get(who, id(req)); // the caller's project owns it: only then a tag or a kept answer
    const secrets = d.policy.showsSecrets(subject(who), rec.userId);
    const base = requestBaseUrl(req, d.publicUrl);
    // etag.ts: the creator (and the roles of disco:show_secrets) get another rendering than the project's other readers
    const rendering: RenderingOf = { id: rec.id, revision: rec.revision, updatedAt: rec.updatedAt, type, secrets, model: modelTag(d.catalog) };
    const validators = validatorHeaders(entityTag(rendering, base));
    if (noneMatchHolds(req.get('if-none-match'), validators.ETag)) { res.set(validators).status(304).end(); return; }
    const key = AnswerCache.key(rendering); // the rendering holds no base URL: kept once for every Host
    let answer = answers.get(key);
    if (!answer) {
      const own = d.clusters.ownerSecrets(rec);
      answers.set(key, answer = renderEntity(clusterView(rec, secrets ? own : hidden(own), d.catalog), type, base));
    }
    res.set(validators);
    send(res, answer);
  }));

  r.get('/disco/:id/events', wrap(async (req, res) => {
    const who = await caller(req, occiRequest(req, d.limits));
    allow(who, 'disco:events');
    res.status(200).json(await d.clusters.events(who, id(req), eventsPage(req.query)));
  }));
  r.all('/disco/:id/events', methodNotAllowed('GET'));

  r.delete('/disco/:id', wrap(async (req, res) => {
    choose(req, ENTITY_TYPES);
    const who = await caller(req, occiRequest(req, d.limits));
    allow(who, 'disco:delete');
    await d.clusters.delete(who, id(req));
    res.status(200).type('text/plain; charset=utf-8').send('OK');
  }));

  r.post('/disco/:id', wrap(async (req, res) => {
    const type = choose(req, ENTITY_TYPES);
    const { who, o } = await withBody(req, res);
    const action = req.query.action;
    const named = action !== undefined ? String(action) : o.attributes.has(ATTR.action) ? String(o.attributes.get(ATTR.action)) : undefined;
    allow(who, changeRule(named, o.attributes.has(ATTR.workers)));
    const clusterId = id(req);
    if (action !== undefined) {
      const term = String(action);
      const cat = o.categories.find((c) => c.class === 'action');
      if (cat && (cat.scheme !== ACTION_SCHEME || cat.term !== term)) {
        throw badAttribute('Category', `the action ${ACTION_SCHEME}${term}`, `${cat.scheme}${cat.term}`);
      }
      const rec = await d.clusters.action(who, clusterId, term, o.attributes);
      send(res, renderEntity(clusterView(rec, undefined, d.catalog), type, requestBaseUrl(req, d.publicUrl)), 202);
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
