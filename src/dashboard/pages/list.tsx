// The project's clusters, live: name, state, frameworks, workers, flavors, age, expiry; filters.
import { useState } from 'preact/hooks';
import type { Cluster } from '../../client/cluster.js';
import { useClusters } from '../api.js';
import { age, STATES, when } from '../format.js';

export const StateBadge = (p: { c: Cluster }) => <span class={`state state-${p.c.state}`}>{p.c.state}</span>;

export function ClusterList(p: { mayCreate: boolean }) {
  const { clusters, loaded } = useClusters();
  const [state, setState] = useState('');
  const [text, setText] = useState('');
  // the stream changes the map in place: the rows are made afresh on every render (1,000 sort in well under a millisecond)
  const rows = [...clusters.values()]
    .filter((c) => (!state || c.state === state) && (!text || c.title.includes(text) || c.frameworks.some((f) => f.includes(text))))
    .sort((a, b) => (b.createdAt ?? '').localeCompare(a.createdAt ?? ''));
  return (
    <main>
      <h2>Clusters</h2>
      <div class="filters">
        <div class="field"><label for="f-state">State</label>
          <select id="f-state" value={state} onChange={(e) => setState((e.currentTarget as HTMLSelectElement).value)}>
            <option value="">any</option>{STATES.map((s) => <option value={s}>{s}</option>)}
          </select></div>
        <div class="field"><label for="f-text">Name or framework</label>
          <input id="f-text" type="search" value={text} onInput={(e) => setText((e.currentTarget as HTMLInputElement).value)} /></div>
        {p.mayCreate && <a class="button" href="#/new">New cluster</a>}
      </div>
      {!loaded ? <p>Loading…</p> : rows.length === 0 ? <p>{clusters.size ? 'No cluster matches the filters.' : 'No clusters yet.'}</p> : (
        <table>
          <caption class="visually-hidden">Clusters of the project</caption>
          <thead><tr><th scope="col">Name</th><th scope="col">State</th><th scope="col">Frameworks</th><th scope="col">Workers</th>
            <th scope="col">Flavors</th><th scope="col">Age</th><th scope="col">Expires</th></tr></thead>
          <tbody>{rows.map((c) => (
            <tr key={c.id} data-cluster={c.title}>
              <td><a href={`#/clusters/${c.id}`}>{c.title}</a></td>
              <td><StateBadge c={c} />{c.reason ? ` (${c.reason})` : ''}</td>
              <td>{c.frameworks.filter((f) => f !== 'bootstrap').join(', ') || 'bootstrap'}</td>
              <td>{c.workers ?? ''}</td>
              <td>{[c.masterFlavor, c.workerFlavor].filter(Boolean).join(' / ')}</td>
              <td>{age(c.createdAt)}</td>
              <td>{when(c.expiresAt) || 'never'}</td>
            </tr>))}
          </tbody>
        </table>)}
    </main>
  );
}
