// GET /disco/-/changes: a server-sent-events stream of the project's cluster records as they
// change (the store's revisions), for the dashboard's list and cluster pages and the CLI's
// waits. Each stream looks at the store (never at OpenStack) every `pollMs` and sends:
//   event: snapshot  data: [every cluster's summary], once, first: the list's own fields and
//                    what a wait follows, never the whole resource (src/client/summary.ts)
//   event: synced    data: {"clusters": N}, once, right after it
//   event: delta     data: {"id", "revision", and only the fields that changed since this stream
//                    last sent the cluster, null for one gone}, on each new revision after that
//                    (every field for a cluster new to the stream; id and revision alone when
//                    the revision changed nothing the summary carries)
//   event: gone      data: {"id": ...}, when a record is no longer there
//   event: end       data: {"message": ...}, when the credentials stop being good; then it closes
// A page that opens a cluster GETs its whole resource (GET /disco/<id>) when its revision moves.
// Compressed (gzip, flushed after every write so that no event waits) when Accept-Encoding allows.
// The caller is asked again every round (Keystone's answer is cached for reads), so a revoked
// token ends the stream within the cache time; Keystone or the store away for a moment only
// skips a round. Streams are counted per process and per user, released however they end.
import { Router, type NextFunction, type Request, type Response } from 'express';
import Negotiator from 'negotiator';
import { constants, createGzip, type Gzip } from 'node:zlib';
import type { Authenticator, Caller } from '../auth/authenticator.js';
import { DomainError } from '../errors/domain-error.js';
import type { FrameworkCatalog } from '../frameworks/catalog.js';
import { clusterSummary } from '../disco-kind/summary.js';
import { deltaOf, type ClusterSummary } from '../client/summary.js';
import type { Policy } from '../policy/policy.js';
import type { ClusterService } from '../service/cluster-service.js';
import { allowed, callerOf } from './caller.js';
import { methodNotAllowed } from './errors.js';

export const CHANGES_PATH = '/disco/-/changes';
/** A comment line this often keeps proxies from closing a quiet stream. */
const HEARTBEAT_MS = 15_000;
/** One user's tabs and reconnects cannot take every stream of a process. */
export const STREAMS_PER_USER = 10;

export interface ChangesDeps {
  auth: Authenticator;
  policy: Policy;
  clusters: ClusterService;
  catalog: FrameworkCatalog;
  pollMs: number;
  maxStreams: number;
}

const frame = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
/** Refusals that end a stream: the credentials no longer good, or no longer allowed to list. */
const ends = (e: unknown) => e instanceof DomainError && (e.code === 'UNAUTHENTICATED' || e.code === 'FORBIDDEN');

export function changesRoutes(d: ChangesDeps): Router {
  const r = Router();
  const ask = callerOf(d.auth);
  const allow = allowed(d.policy);
  let open = 0;
  const perUser = new Map<string, number>();

  r.get(CHANGES_PATH, (req: Request, res: Response, next: NextFunction) => {
    // closed by the client at any point, even before the first answer: everything stops and is released
    let closed = false;
    let release = () => undefined as void;
    let timer: NodeJS.Timeout | undefined;
    let zip: Gzip | undefined;
    let ended = false;
    const write = (text: string) => { if (zip) zip.write(text); else res.write(text); };
    const finish = (text?: string) => { if (ended) return; ended = true; if (zip) zip.end(text); else res.end(text); };
    res.once('close', () => { closed = true; clearTimeout(timer); zip?.destroy(); release(); });
    void (async () => {
      let who: Caller = await ask(req);
      allow(who, 'disco:list');
      if (closed) return;
      if (req.method === 'HEAD') { res.status(200).type('text/event-stream').end(); return; }
      if (open >= d.maxStreams) throw new DomainError('UNAVAILABLE', `this process serves ${d.maxStreams} change streams already (SM_MAX_CHANGE_STREAMS): try again later`);
      const mine = perUser.get(who.userId) ?? 0;
      if (mine >= STREAMS_PER_USER) throw new DomainError('CONFLICT', `you have ${STREAMS_PER_USER} change streams open here already: close one first`);
      const user = who.userId;
      open++;
      perUser.set(user, mine + 1);
      let released = false;
      release = () => {
        if (released) return;
        released = true;
        open--;
        const n = (perUser.get(user) ?? 1) - 1;
        if (n > 0) perUser.set(user, n); else perUser.delete(user);
      };
      const gzip = new Negotiator(req).encodings(['gzip', 'identity'])[0] === 'gzip';
      res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', 'X-Accel-Buffering': 'no',
        Vary: 'Accept-Encoding', ...(gzip ? { 'Content-Encoding': 'gzip' } : {}) });
      if (gzip) {
        // every write flushed: an event is sent when it happens, not when a block fills
        zip = createGzip({ flush: constants.Z_SYNC_FLUSH });
        zip.on('error', () => res.destroy());
        zip.pipe(res);
      }
      write('retry: 3000\n\n');
      /** What this stream last sent of each cluster: the next delta is from it. */
      const seen = new Map<string, ClusterSummary>();
      let synced = false;
      let lastWrite = Date.now();
      const round = async (): Promise<void> => {
        try {
          who = await ask(req);
          allow(who, 'disco:list');
        } catch (e) {
          if (!ends(e)) throw e; // Keystone away for a moment: this round is skipped, the stream stays
          finish(frame('end', { message: e instanceof Error ? e.message : 'the credentials are no longer good' }));
          return;
        }
        const records = await d.clusters.list(who);
        const now = new Set<string>();
        const snapshot: ClusterSummary[] = [];
        let out = '';
        for (const rec of records) {
          now.add(rec.id);
          const last = seen.get(rec.id);
          if (last && last.revision === (rec.revision ?? 0)) continue;
          let next: ClusterSummary;
          // a record that cannot be summed up is logged and tried again next round; the others go out
          try { next = clusterSummary(rec, d.catalog); } catch (e) { req.log.error({ err: e, clusterId: rec.id }, 'a change stream could not render a cluster'); continue; }
          seen.set(rec.id, next);
          if (!synced) { snapshot.push(next); continue; }
          const delta = deltaOf(last, next);
          if (delta) out += frame('delta', delta);
        }
        for (const id of seen.keys()) if (!now.has(id)) { seen.delete(id); out += frame('gone', { id }); }
        // the first round is one event: a page parses one document, not one per cluster
        if (!synced) { out = frame('snapshot', snapshot) + out + frame('synced', { clusters: seen.size }); synced = true; }
        if (!out && Date.now() - lastWrite >= HEARTBEAT_MS) out = ': still here\n\n';
        if (out && !closed) { write(out); lastWrite = Date.now(); }
      };
      const loop = async () => {
        if (closed || ended) return;
        await round().catch((e: unknown) => { req.log.warn({ err: e }, 'a change stream round was skipped'); });
        if (!closed && !ended) timer = setTimeout(() => { void loop(); }, d.pollMs);
      };
      await loop();
    })().catch((e: unknown) => { if (!closed && !res.headersSent) next(e); else finish(); });
  });
  r.all(CHANGES_PATH, methodNotAllowed('GET'));
  return r;
}
