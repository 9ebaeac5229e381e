// GET /disco/-/changes: a server-sent-events stream of the project's cluster records as they
// change (the store's revisions), for the dashboard's list and cluster pages and the CLI's
// waits. Each stream looks at the store (never at OpenStack) every `pollMs` and sends:
//   event: snapshot  data: [every cluster's OCCI JSON resource (no secrets)], once, first
//   event: synced    data: {"clusters": N}, once, right after it
//   event: cluster   data: one cluster's resource, on each new revision after that
//   event: gone      data: {"id": ...}, when a record is no longer there
//   event: end       data: {"message": ...}, when the credentials stop being good; then it closes The caller is asked again every round (Keystone's
// answer is cached for reads), so a revoked token ends the stream within the cache time.
import { Router, type NextFunction, type Request, type Response } from 'express';
import type { Authenticator, Caller } from '../auth/authenticator.js';
import { DomainError } from '../errors/domain-error.js';
import type { FrameworkCatalog } from '../frameworks/catalog.js';
import { clusterView } from '../disco-kind/view.js';
import { resourceJson } from '../occi/render-json.js';
import type { Policy } from '../policy/policy.js';
import type { ClusterService } from '../service/cluster-service.js';
import { allowed, callerOf } from './caller.js';
import { methodNotAllowed } from './errors.js';

export const CHANGES_PATH = '/disco/-/changes';
/** A comment line this often keeps proxies from closing a quiet stream. */
const HEARTBEAT_MS = 15_000;

export interface ChangesDeps {
  auth: Authenticator;
  policy: Policy;
  clusters: ClusterService;
  catalog: FrameworkCatalog;
  pollMs: number;
  maxStreams: number;
}

const frame = (event: string, data: unknown, id?: string) => `${id ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

export function changesRoutes(d: ChangesDeps): Router {
  const r = Router();
  const ask = callerOf(d.auth);
  const allow = allowed(d.policy);
  let open = 0;

  r.get(CHANGES_PATH, (req: Request, res: Response, next: NextFunction) => {
    void (async () => {
      let who: Caller = await ask(req);
      allow(who, 'disco:list');
      if (open >= d.maxStreams) throw new DomainError('UNAVAILABLE', `this process serves ${d.maxStreams} change streams already (SM_MAX_CHANGE_STREAMS): try again later`);
      open++;
      res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', 'X-Accel-Buffering': 'no' });
      res.write('retry: 3000\n\n');
      const seen = new Map<string, number>();
      let stopped = false;
      let synced = false;
      let timer: NodeJS.Timeout | undefined;
      let lastWrite = Date.now();
      const stop = () => { if (!stopped) { stopped = true; open--; clearTimeout(timer); } };
      req.on('close', stop);
      const round = async (): Promise<void> => {
        try {
          who = await ask(req);
          allow(who, 'disco:list');
        } catch (e) {
          res.end(frame('end', { message: e instanceof Error ? e.message : 'the credentials are no longer good' }));
          stop();
          return;
        }
        const records = await d.clusters.list(who);
        const now = new Set<string>();
        const first = !synced;
        const snapshot: unknown[] = [];
        let out = '';
        for (const rec of records) {
          now.add(rec.id);
          if (seen.get(rec.id) === (rec.revision ?? 0)) continue;
          seen.set(rec.id, rec.revision ?? 0);
          const view = resourceJson(clusterView(rec, undefined, d.catalog));
          if (first) snapshot.push(view);
          else out += frame('cluster', view, `${rec.id}@${rec.revision ?? 0}`);
        }
        // the first round is one event: a page parses one document, not one per cluster
        if (first) out += frame('snapshot', snapshot);
        for (const id of seen.keys()) if (!now.has(id)) { seen.delete(id); out += frame('gone', { id }); }
        if (!out && Date.now() - lastWrite >= HEARTBEAT_MS) out = ': still here\n\n';
        if (out) { res.write(out); lastWrite = Date.now(); }
      };
      const loop = async () => {
        // a store that cannot be reached for a moment skips a round; the stream stays
        const ok = await round().then(() => true, (e: unknown) => { req.log.warn({ err: e }, 'a change stream round failed'); return false; });
        if (ok && !synced && !stopped) { synced = true; res.write(frame('synced', { clusters: seen.size })); }
        if (!stopped) timer = setTimeout(() => { void loop(); }, d.pollMs);
      };
      await loop();
    })().catch(next);
  });
  r.all(CHANGES_PATH, methodNotAllowed('GET'));
  return r;
}
