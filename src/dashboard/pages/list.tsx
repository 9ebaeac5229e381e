// The project's clusters, live: name, state, frameworks, workers, flavors, age, expiry; filters.
import { useEffect, useState } from 'preact/hooks';
import type { Cluster } from '../../client/cluster.js';
import { useClusters } from '../api.js';
import { age, STATES, when } from '../format.js';

export const StateBadge = (p: { c: Cluster }) => stateBadge(p.c);
/** A plain function, not a component, in the rows: a thousand component instances cost more than their markup. */
const stateBadge = (c: Cluster) => <span class={`state state-${c.state}`}>{c.state}</span>;

export function ClusterList(p: { mayCreate: boolean }) {
  const { clusters, loaded } = useClusters();
  const [state, setState] = useState('');
  const [text, setText] = useState('');
  // the stream changes the map in place: the rows are made afresh on every render (1,000 sort in well under a millisecond)
  // marks for the bench's timeline (BENCH_DEBUG=1 npm run bench)
  useEffect(() => { if (loaded) performance.mark('disco:list-rendered'); });
  const q = text.trim().toLowerCase();
  const rows = [...clusters.values()]
    .filter((c) => (!state || c.state === state) && (!q || c.title.toLowerCase().includes(q) || c.frameworks.some((f) => f !== 'bootstrap' && f.includes(q))))
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
        // an ARIA table of grid rows, not a <table>: a row off screen is then neither laid out nor
        // painted (content-visibility, which table rows ignore), so 1,000 rows render in well under a second
        <div class="clusters" role="table" aria-label="Clusters of the project" aria-rowcount={rows.length + 1}>
          <div role="rowgroup"><div class="row head" role="row">{['Name', 'State', 'Frameworks', 'Workers', 'Flavors', 'Age', 'Expires'].map((h) => <span role="columnheader">{h}</span>)}</div></div>
          <div role="rowgroup">{rows.map((c) => (
            <div class="row" role="row" key={c.id} data-cluster={c.title}>
              <span role="cell"><a href={`#/clusters/${c.id}`}>{c.title}</a></span>
              <span role="cell">{stateBadge(c)}{c.reason ? ` (${c.reason})` : ''}</span>
              <span role="cell">{c.frameworks.filter((f) => f !== 'bootstrap').join(', ') || 'bootstrap'}</span>
              <span role="cell">{c.workers ?? ''}</span>
              <span role="cell">{[c.masterFlavor, c.workerFlavor].filter(Boolean).join(' / ')}</span>
              <span role="cell">{age(c.createdAt)}</span>
              <span role="cell">{when(c.expiresAt) || 'never'}</span>
            </div>))}
          </div>
        </div>)}
    </main>
  );
}
