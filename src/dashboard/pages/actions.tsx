// What may be done to a cluster, shown only when the caller's roles allow it (the service
// checks again): scale, suspend/resume, lifetime, and delete after a confirmation.
import { useState } from 'preact/hooks';
import type { Cluster } from '../../client/cluster.js';
import { ApiError } from '../../client/errors.js';
import type { SessionInfo } from '../../client/types.js';
import { api } from '../api.js';
import { ATTR } from '../../disco-kind/attribute-names.js';

export function ClusterActions(p: { c: Cluster; session: SessionInfo; onDeleted(): void }) {
  const may = p.session.may;
  const [workers, setWorkers] = useState('');
  const [lifetime, setLifetime] = useState('');
  const [deadline, setDeadline] = useState('');
  const [confirm, setConfirm] = useState(false);
  const [error, setError] = useState<ApiError>();
  const [done, setDone] = useState<string>();
  const c = p.c;
  if (!(may['disco:scale'] || may['disco:suspend'] || may['disco:resume'] || may['disco:set_expiry'] || may['disco:delete'])) return null;
  if (c.state === 'deleting') return <p>Being deleted.</p>;
  const act = async (what: string, f: () => Promise<unknown>) => {
    setError(undefined); setDone(undefined);
    try { await f(); setDone(what); } catch (e) { setError(e instanceof ApiError ? e : new ApiError(0, String(e))); }
  };
  const fieldError = (attr: string, id: string) => error?.attribute === attr ? <p class="error" id={`${id}-error`} role="alert">{error.message}</p> : null;
  const other = error && error.attribute !== ATTR.workers && error.attribute !== ATTR.lifetime && error.attribute !== ATTR.deadline;

  return (
    <section aria-labelledby="actions-title">
      <h3 id="actions-title">Actions</h3>
      {other && <p class="banner" role="alert">{error.message}</p>}
      {done && <p role="status">{done}</p>}
      <div class="actions">
        {may['disco:scale'] && (
          <form class="actions" onSubmit={(e) => { e.preventDefault(); void act(`Scaling to ${workers} workers.`, () => api.scale(c.id, Number(workers))); }}>
            <div class="field"><label for="scale-workers">Workers</label>
              <input id="scale-workers" inputMode="numeric" required value={workers} placeholder={String(c.workers ?? '')} onInput={(e) => setWorkers((e.currentTarget as HTMLInputElement).value)} />
              {fieldError(ATTR.workers, 'scale-workers')}</div>
            <button type="submit" disabled={c.state !== 'ready'}>Scale</button>
          </form>)}
        {may['disco:suspend'] && c.state === 'ready' && <button type="button" class="secondary" onClick={() => { void act('Suspending.', () => api.suspend(c.id)); }}>Suspend</button>}
        {may['disco:resume'] && c.state === 'suspended' && <button type="button" class="secondary" onClick={() => { void act('Resuming.', () => api.resume(c.id)); }}>Resume</button>}
        {may['disco:set_expiry'] && (
          <form class="actions" onSubmit={(e) => {
            e.preventDefault();
            // each value is sent as typed ("none" clears it): the service checks it and names what is wrong
            const life = lifetime.trim() === '' ? undefined : lifetime.trim() === 'none' ? 'none' as const : /^\d+$/.test(lifetime.trim()) ? Number(lifetime.trim()) : lifetime.trim() as unknown as number;
            void act('Expiry changed.', () => api.setExpiry(c.id, { ...(life === undefined ? {} : { lifetime: life }), ...(deadline.trim() ? { deadline: deadline.trim() } : {}) }));
          }}>
            <div class="field"><label for="lifetime">Lifetime (seconds after ready, or none)</label>
              <input id="lifetime" value={lifetime} placeholder={c.lifetime !== undefined ? String(c.lifetime) : 'none'} onInput={(e) => setLifetime((e.currentTarget as HTMLInputElement).value)} />
              {fieldError(ATTR.lifetime, 'lifetime')}</div>
            <div class="field"><label for="deadline">Deadline (ISO 8601, or none)</label>
              <input id="deadline" value={deadline} placeholder={c.deadline ?? 'none'} onInput={(e) => setDeadline((e.currentTarget as HTMLInputElement).value)} />
              {fieldError(ATTR.deadline, 'deadline')}</div>
            <button type="submit" class="secondary" disabled={!lifetime.trim() && !deadline.trim()}>Set expiry</button>
          </form>)}
        {may['disco:delete'] && (confirm ? (
          <div role="group" aria-label="Confirm the deletion">
            <p>Delete {c.title} and everything on it?</p>
            <div class="actions">
              <button type="button" class="danger" onClick={() => { void act('Deleting.', async () => { await api.delete(c.id); p.onDeleted(); }); }}>Delete {c.title}</button>
              <button type="button" class="secondary" onClick={() => setConfirm(false)}>Cancel</button>
            </div>
          </div>) : <button type="button" class="danger" onClick={() => setConfirm(true)}>Delete…</button>)}
      </div>
    </section>
  );
}
