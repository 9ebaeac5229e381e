// One cluster: state and reason, the timeline of its phases, progress, events (paged),
// the framework UIs through its gateway, SSH (the private key for its creator only), and
// the actions the caller's roles allow: scale, suspend/resume, lifetime, delete.
import { useEffect, useState } from 'preact/hooks';
import type { Cluster } from '../../client/cluster.js';
import { ApiError } from '../../client/errors.js';
import type { ClusterEvent, SessionInfo } from '../../client/types.js';
import { api, useClusters } from '../api.js';
import { duration, when } from '../format.js';
import { go } from '../route.js';
import { StateBadge } from './list.js';
import { nodesOf, phases } from './timeline.js';
import { eventLine } from '../../client/event-line.js';
import { ClusterActions } from './actions.js';

/** Events shown at once, newest first. */
const PAGE = 25;
const isKey = (k: string | undefined): k is string => !!k && k.startsWith('-----BEGIN');

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/x-pem-file' }));
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function ClusterPage(p: { id: string; session: SessionInfo }) {
  const { clusters, loaded } = useClusters();
  const live = clusters.get(p.id);
  const [full, setFull] = useState<Cluster>();
  const [events, setEvents] = useState<ClusterEvent[]>([]);
  const [next, setNext] = useState<string>();
  const [error, setError] = useState<string>();
  const [copied, setCopied] = useState(false);
  const [eventPage, setEventPage] = useState(0);
  // the stream carries the list's fields only: the whole record (its address, UIs, actions, and
  // its secrets for its creator) and its events are read when the page opens, and again whenever
  // the stream tells of a new revision (or that the cluster is gone); the last answer asked wins
  useEffect(() => {
    let current = true;
    api.get(p.id).then((c) => { if (current) setFull(c); }, (e: unknown) => { if (current) setError(e instanceof ApiError && e.status === 404 ? 'This cluster is gone.' : String(e)); });
    api.events(p.id, { limit: 500 }).then((r) => { if (current) { setEvents(r.events); setNext(r.next); } }, () => undefined);
    return () => { current = false; };
  }, [p.id, live?.revision, loaded && !live]);
  if (error) return <main><h2>Cluster</h2><p class="banner" role="alert">{error}</p><p><a href="#/">Back to the clusters</a></p></main>;
  // the whole record once read (this cluster's: the page may have moved to another); the stream's summary until then
  const whole = full?.id === p.id ? full : undefined;
  const c = whole ?? live;
  if (!c) return <main><h2>Cluster</h2><p>{loaded ? 'This cluster is gone.' : 'Loading…'}</p></main>;
  const key = whole?.privateKey;
  const keyFile = `disco-${c.title}.key`;
  const ssh = c.externalIp && c.sshUser ? `ssh -i ${keyFile} ${c.sshUser}@${c.externalIp}` : undefined;
  const newestFirst = [...events].reverse();
  const pages = Math.max(1, Math.ceil(newestFirst.length / PAGE));
  const shown = newestFirst.slice(eventPage * PAGE, (eventPage + 1) * PAGE);

  return (
    <main>
      <p><a href="#/">← Clusters</a></p>
      <h2>{c.title}</h2>
      <p aria-live="polite"><StateBadge c={c} />{c.reason ? ` ${c.reason}` : ''}{c.message ? `: ${c.message}` : ''}</p>
      {c.progress && <p>Progress: {c.progress}</p>}
      <dl class="facts">
        <dt>Frameworks</dt><dd>{c.frameworks.join(', ')}</dd>
        <dt>Workers</dt><dd>{c.workers ?? ''}</dd>
        <dt>Flavors</dt><dd>{[c.masterFlavor, c.workerFlavor].filter(Boolean).join(' / ')}</dd>
        <dt>Created</dt><dd>{when(c.createdAt)}</dd>
        <dt>Expires</dt><dd>{when(c.expiresAt) || 'never'}</dd>
        <dt>Address</dt><dd>{c.externalIp ?? 'not yet'}</dd>
      </dl>

      <h3>SSH</h3>
      {ssh ? (
        <div>
          <p>User <code>{c.sshUser}</code> at <code>{c.externalIp}</code>:</p>
          <pre id="ssh-command">{ssh}</pre>
          <div class="actions">
            <button type="button" class="secondary" onClick={() => { void navigator.clipboard?.writeText(ssh).then(() => setCopied(true)); }}>{copied ? 'Copied' : 'Copy the command'}</button>
            {isKey(key) ? <button type="button" class="secondary" onClick={() => download(keyFile, key.endsWith('\n') ? key : `${key}\n`)}>Download the private key</button>
              : <p class="hint">The private key is shown only to the user who created the cluster.</p>}
          </div>
          <p class="hint">Save the key as {keyFile} and <code>chmod 600 {keyFile}</code> before using it.</p>
        </div>) : <p>Once the cluster has its address.</p>}

      {c.uis.length > 0 && <>
        <h3>Web interfaces</h3>
        <p class="hint">Through the cluster's gateway (HTTPS; user {c.gatewayUser ?? 'disco'}, password: the bootstrap gateway_password on this page's record).</p>
        <ul>{c.uis.map((u) => <li><a href={u.url} rel="noopener noreferrer" target="_blank">{u.name}</a></li>)}</ul>
      </>}

      <ClusterActions c={c} session={p.session} onDeleted={() => go('#/')} />

      <section aria-labelledby="nodes-title">
      <h3 id="nodes-title">Nodes</h3>
      {nodesOf(events).length === 0 ? <p>No node has reported yet.</p> : (
        <table><thead><tr><th scope="col">Node</th><th scope="col">Frameworks installed</th></tr></thead>
          <tbody>{nodesOf(events).map((n) => <tr><td>{n.node}</td><td>{n.frameworks.map((f) => `${f.name} ${f.status === 'SUCCESS' ? 'done' : f.status.toLowerCase()}`).join(', ')}</td></tr>)}</tbody></table>)}
      </section>

      <h3>Timeline</h3>
      <table><thead><tr><th scope="col">Phase</th><th scope="col">From</th><th scope="col">Took</th><th scope="col">Message</th></tr></thead>
        <tbody>{phases(events).map((ph) => <tr><td>{ph.state}</td><td>{when(ph.from)}</td><td>{ph.ms === null ? 'going on' : duration(ph.ms)}</td><td>{ph.message ?? ''}</td></tr>)}</tbody></table>

      <section aria-labelledby="events-title">
      <h3 id="events-title">Events</h3>
      <p class="hint">{events.length} events{next ? ' (more on the service: load them)' : ''}; page {eventPage + 1} of {pages}, newest first.</p>
      <div class="actions">
        <button type="button" class="secondary" disabled={eventPage === 0} onClick={() => setEventPage(eventPage - 1)}>Newer</button>
        <button type="button" class="secondary" disabled={eventPage + 1 >= pages} onClick={() => setEventPage(eventPage + 1)}>Older</button>
        {next && <button type="button" class="secondary" onClick={() => { void api.events(p.id, { limit: 500, marker: next }).then((r) => { setEvents([...events, ...r.events]); setNext(r.next); }); }}>Load more</button>}
      </div>
      <table><thead><tr><th scope="col">Time</th><th scope="col">Source</th><th scope="col">What</th></tr></thead>
        <tbody>{shown.map((e) => { const t = eventLine(e); return <tr><td>{when(e.time)}</td><td>{t.who}</td><td>{t.what}</td></tr>; })}</tbody></table>
      </section>
    </main>
  );
}
