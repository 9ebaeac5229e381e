// A new cluster, from what the service declares: the form comes from GET /-/ and the
// project's flavors, images and external networks; "Plan" shows the dry run (frameworks in
// order, security rules, quota against the headroom) before anything is made; a refusal is
// shown beside the field it concerns.
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../../client/errors.js';
import type { Flavor, Image, Network, Plan } from '../../client/types.js';
import { api } from '../api.js';
import { ATTR } from '../../disco-kind/attribute-names.js';
import { go } from '../route.js';
import { CREATE_ATTRIBUTES, frameworkChoices, requestOf, withDependencies, type Field, type FrameworkChoice } from './create-form.js';
import { PlanView } from './plan.js';

interface Lookups { frameworks: FrameworkChoice[]; descriptions: Record<string, { description?: string; default?: unknown }>; flavors: Flavor[]; images: Image[]; networks: Network[] }

const idOf = (attr: string) => `a-${attr.replace(/[^a-z0-9]+/gi, '-')}`;

function FieldError(p: { name: string; error: ApiError | undefined }) {
  return p.error?.attribute === p.name ? <p class="error" id={`${idOf(p.name)}-error`} role="alert">{p.error.message}</p> : null;
}

export function CreateCluster() {
  const [look, setLook] = useState<Lookups>();
  const [loadError, setLoadError] = useState<string>();
  const [values, setValues] = useState<Record<string, string | boolean>>({});
  const [chosen, setChosen] = useState<string[]>([]);
  const [plan, setPlan] = useState<Plan>();
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState<'plan' | 'create'>();

  useEffect(() => {
    Promise.all([api.model(), api.flavors(), api.images(), api.externalNetworks()]).then(([m, flavors, images, networks]) => {
      const frameworks = frameworkChoices(m);
      // the kind's attributes and the frameworks' properties, each with its description (the fields' hints)
      const descriptions: Lookups['descriptions'] = { ...m.kinds.find((k) => k.term === 'disco')?.attributes };
      for (const fw of frameworks) for (const f of fw.fields) descriptions[f.name] = { ...(f.description ? { description: f.description } : {}), ...(f.default !== undefined ? { default: f.default } : {}) };
      setLook({ frameworks, descriptions, flavors, images, networks });
    }, (e: unknown) => setLoadError(e instanceof Error ? e.message : String(e)));
  }, []);
  if (loadError) return <main><h2>New cluster</h2><p class="banner" role="alert">{loadError}</p></main>;
  if (!look) return <main><h2>New cluster</h2><p>Loading…</p></main>;

  const set = (name: string, v: string | boolean) => { setValues({ ...values, [name]: v }); setPlan(undefined); };
  const all = withDependencies(chosen, look.frameworks);
  const request = () => requestOf(values, chosen, look.frameworks);
  const run = async (what: 'plan' | 'create') => {
    setBusy(what); setError(undefined);
    try {
      if (what === 'plan') setPlan(await api.plan(request()));
      else go(`#/clusters/${(await api.create(request())).id}`);
    } catch (e) {
      setPlan(undefined);
      setError(e instanceof ApiError ? e : new ApiError(0, String(e)));
    } finally { setBusy(undefined); }
  };
  const described = (name: string) => [look.descriptions[name]?.description ? `${idOf(name)}-hint` : '', error?.attribute === name ? `${idOf(name)}-error` : ''].filter(Boolean).join(' ') || undefined;
  const choice = (name: string, opts: { value: string; label: string }[]) => (
    <select id={idOf(name)} value={String(values[name] ?? '')} aria-describedby={described(name)} aria-invalid={error?.attribute === name}
      onChange={(e) => set(name, (e.currentTarget as HTMLSelectElement).value)}>
      <option value="">the service's default{look.descriptions[name]?.default !== undefined ? ` (${String(look.descriptions[name]!.default)})` : ''}</option>
      {opts.map((o) => <option value={o.value}>{o.label}</option>)}
    </select>);
  const flavorOpts = look.flavors.map((f) => ({ value: f.name, label: `${f.name} (${f.vcpus} vCPU, ${f.ramMb} MB)` }));
  const imageOpts = look.images.map((i) => ({ value: i.name || i.id, label: i.name || i.id }));
  const input = (a: { name: string }) => {
    if (a.name === ATTR.masterFlavor || a.name === ATTR.workerFlavor) return choice(a.name, flavorOpts);
    if (a.name === ATTR.masterImage || a.name === ATTR.workerImage) return choice(a.name, imageOpts);
    if (a.name === ATTR.externalNetwork) return choice(a.name, look.networks.map((n) => ({ value: n.name, label: n.name })));
    const numeric = a.name === ATTR.workers || a.name === ATTR.lifetime;
    return <input id={idOf(a.name)} inputMode={numeric ? 'numeric' : undefined} value={String(values[a.name] ?? '')}
      placeholder={look.descriptions[a.name]?.default !== undefined ? String(look.descriptions[a.name]!.default) : ''}
      aria-describedby={described(a.name)} aria-invalid={error?.attribute === a.name}
      onInput={(e) => set(a.name, (e.currentTarget as HTMLInputElement).value)} />;
  };
  const propertyInput = (f: Field) => f.type === 'boolean'
    ? <input type="checkbox" id={idOf(f.name)} checked={values[f.name] === true} onChange={(e) => set(f.name, (e.currentTarget as HTMLInputElement).checked)} />
    : f.type === 'text'
      ? <textarea id={idOf(f.name)} value={String(values[f.name] ?? '')} aria-describedby={described(f.name)} onInput={(e) => set(f.name, (e.currentTarget as HTMLTextAreaElement).value)} />
      : <input id={idOf(f.name)} value={String(values[f.name] ?? '')} inputMode={f.type === 'number' ? 'numeric' : undefined}
        placeholder={f.default !== undefined && typeof f.default !== 'object' ? String(f.default) : ''} aria-describedby={described(f.name)} aria-invalid={error?.attribute === f.name}
        onInput={(e) => set(f.name, (e.currentTarget as HTMLInputElement).value)} />;
  const properties = (fw: FrameworkChoice) => fw.fields.map((f) => (
    <div class="field">
      <label for={idOf(f.name)}>{f.label}</label>{propertyInput(f)}
      {f.description && <p class="hint" id={`${idOf(f.name)}-hint`}>{f.description}</p>}
      <FieldError name={f.name} error={error} />
    </div>));
  const general = error && !CREATE_ATTRIBUTES.some((a) => a.name === error.attribute) && !look.frameworks.some((fw) => fw.fields.some((f) => f.name === error.attribute));

  return (
    <main>
      <h2>New cluster</h2>
      {general && <p class="banner" role="alert">{error.message}</p>}
      <form onSubmit={(e) => { e.preventDefault(); void run('create'); }}>
        <fieldset><legend>Cluster</legend><div class="grid">
          {CREATE_ATTRIBUTES.map((a) => (
            <div class="field">
              <label for={idOf(a.name)}>{a.label}</label>{input(a)}
              {look.descriptions[a.name]?.description && <p class="hint" id={`${idOf(a.name)}-hint`}>{look.descriptions[a.name]!.description}</p>}
              <FieldError name={a.name} error={error} />
            </div>))}
        </div></fieldset>
        <fieldset><legend>Frameworks</legend>
          {look.frameworks.filter((f) => !f.always).map((f) => (
            <div>
              <div class="framework">
                <input type="checkbox" id={`fw-${f.name}`} checked={all.includes(f.name)} disabled={all.includes(f.name) && !chosen.includes(f.name)}
                  onChange={(e) => { setChosen((e.currentTarget as HTMLInputElement).checked ? [...chosen, f.name] : chosen.filter((x) => x !== f.name)); setPlan(undefined); }} />
                <label for={`fw-${f.name}`}>{f.name}</label>
                <span class="hint">{f.title}{f.depends.length ? ` (needs ${f.depends.join(', ')})` : ''}</span>
              </div>
              {all.includes(f.name) && f.fields.length > 0 && <div class="grid">{properties(f)}</div>}
            </div>))}
        </fieldset>
        {look.frameworks.filter((f) => f.always).map((f) => <fieldset><legend>Node set-up ({f.name}, on every node)</legend><div class="grid">{properties(f)}</div></fieldset>)}
        <div class="actions">
          <button type="button" class="secondary" disabled={busy !== undefined} onClick={() => { void run('plan'); }}>{busy === 'plan' ? 'Planning…' : 'Plan'}</button>
          <button type="submit" disabled={busy !== undefined}>{busy === 'create' ? 'Creating…' : 'Create cluster'}</button>
        </div>
      </form>
      {plan && <PlanView plan={plan} />}
    </main>
  );
}
