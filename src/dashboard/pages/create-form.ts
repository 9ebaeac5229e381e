// What the create form is made of, read from the service's model (GET /-/): the kind's
// request attributes with their descriptions and defaults, each framework mixin with its
// properties. Pure functions, so that the form's fields are tested without a browser.
import { FRAMEWORK_SCHEME, type CreateRequest } from '../../client/cluster.js';
import type { AttributeDescription, Model, ModelMixin } from '../../client/types.js';
import { ATTR, parseComponentAttribute } from '../../disco-kind/attribute-names.js';


export interface Field { name: string; label: string; type: 'string' | 'number' | 'boolean' | 'text'; description?: string; default?: unknown }
export interface FrameworkChoice { name: string; title: string; depends: string[]; fields: Field[]; always: boolean }

/** The kind's attributes a create takes, in the form's order (field id = attribute name). */
export const CREATE_ATTRIBUTES: { name: string; label: string; key: keyof CreateRequest }[] = [
  { name: 'occi.core.title', label: 'Name', key: 'title' },
  { name: ATTR.workers, label: 'Workers', key: 'workers' },
  { name: ATTR.masterFlavor, label: 'Master flavor', key: 'masterFlavor' },
  { name: ATTR.workerFlavor, label: 'Worker flavor', key: 'workerFlavor' },
  { name: ATTR.masterImage, label: 'Master image', key: 'masterImage' },
  { name: ATTR.workerImage, label: 'Worker image', key: 'workerImage' },
  { name: ATTR.externalNetwork, label: 'External network', key: 'externalNetwork' },
  { name: ATTR.lifetime, label: 'Lifetime (seconds after ready)', key: 'lifetime' },
  { name: ATTR.deadline, label: 'Deadline (ISO 8601)', key: 'deadline' },
];

/** A property's label: its name with spaces ("reserved_disk_gb" → "reserved disk gb"). */
const labelOf = (prop: string) => prop.replace(/_/g, ' ');
/** Long texts (scripts, lists of packages) get a text area. */
const LONG = new Set(['post_init', 'packages', 'pip', 'authorized_keys']);

function fieldOf(name: string, d: AttributeDescription, prop: string): Field {
  const type = d.type === 'number' ? 'number' : d.type === 'boolean' ? 'boolean' : LONG.has(prop) ? 'text' : 'string';
  return { name, label: labelOf(prop), type, ...(d.description ? { description: d.description } : {}), ...(d.default !== undefined ? { default: d.default } : {}) };
}

/** Each framework the service offers, with the properties a create may set (not the UIs it reports). */
export function frameworkChoices(m: Model): FrameworkChoice[] {
  return m.mixins.filter((x) => x.scheme === FRAMEWORK_SCHEME).map((x: ModelMixin) => ({
    name: x.term, title: x.title, always: x.term === 'bootstrap',
    depends: (x.depends ?? []).filter((d) => d.startsWith(FRAMEWORK_SCHEME)).map((d) => d.slice(FRAMEWORK_SCHEME.length)).filter((d) => d !== 'bootstrap'),
    fields: Object.entries(x.attributes).filter(([n]) => parseComponentAttribute(n)?.framework === x.term)
      .map(([n, d]) => fieldOf(n, d, parseComponentAttribute(n)!.property)),
  }));
}

/** The chosen frameworks with everything they depend on. */
export function withDependencies(chosen: readonly string[], all: readonly FrameworkChoice[]): string[] {
  const out = new Set<string>();
  const add = (n: string) => { if (out.has(n)) return; out.add(n); for (const d of all.find((f) => f.name === n)?.depends ?? []) add(d); };
  chosen.forEach(add);
  return all.map((f) => f.name).filter((n) => out.has(n));
}

/** The form's values (field id → text or checkbox) as a create request; empty fields take the service's defaults. */
export function requestOf(values: Record<string, string | boolean>, chosen: readonly string[], all: readonly FrameworkChoice[]): CreateRequest {
  const req: CreateRequest = { frameworks: withDependencies(chosen, all).filter((f) => f !== 'bootstrap') };
  for (const a of CREATE_ATTRIBUTES) {
    const v = values[a.name];
    if (typeof v !== 'string' || v.trim() === '') continue;
    const t = v.trim();
    // numbers the service checks itself: a malformed one is sent as typed and named in its refusal
    (req as unknown as Record<string, unknown>)[a.key] = (a.key === 'workers' || a.key === 'lifetime') && /^\d+$/.test(t) ? Number(t) : t;
  }
  const props: Record<string, Record<string, string | number | boolean>> = {};
  for (const f of all) {
    if (!f.always && !req.frameworks.includes(f.name)) continue;
    for (const field of f.fields) {
      const v = values[field.name];
      if (v === undefined || v === '' || (field.type === 'boolean' && v === false && field.default === undefined)) continue;
      const prop = parseComponentAttribute(field.name)!.property;
      (props[f.name] ??= {})[prop] = field.type === 'number' && typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim()) ? Number(v.trim()) : v;
    }
  }
  if (Object.keys(props).length) req.properties = props;
  return req;
}
