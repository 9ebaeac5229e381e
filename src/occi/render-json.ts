// The OCCI 1.2 JSON rendering (GFD.225), shaped exactly as its JSON Schema's definitions
// require: resource (no `location` member: the schema forbids it; occi.core.id and the
// response's own URL identify it), resource_collection, and the query interface's kinds,
// mixins and actions with attribute descriptions.
import type { Rendered } from './media.js';
import type { ActionDef, AttributeDef, Discovery, EntityView, KindDef, MixinDef } from './model.js';
import { typeId } from './model.js';

const CT = 'application/occi+json';

/** A JSON attribute value: numbers must be finite; null/undefined are dropped by the caller. */
const jsonValue = (v: unknown): unknown => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v);

export function resourceJson(view: EntityView): Record<string, unknown> {
  const attributes: Record<string, unknown> = {};
  for (const [name, v] of view.attributes) if (v !== undefined && v !== null) attributes[name] = jsonValue(v);
  const r: Record<string, unknown> = {
    kind: typeId(view.kind),
    mixins: view.mixins.map(typeId),
    attributes,
    actions: view.actions.map(typeId),
    id: view.id,
    links: [],
  };
  if (view.title !== undefined) r.title = view.title;
  if (view.summary !== undefined) r.summary = view.summary;
  return r;
}

/** `{name: {mutable, required, type, default?, description?, pattern?}}`; pattern is a JSON Schema object. */
export function attributeDescriptions(defs: readonly AttributeDef[]): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const a of defs) {
    const d: Record<string, unknown> = { mutable: a.mutable, required: a.required, type: a.type };
    if (a.default !== undefined) d.default = a.default;
    if (a.description !== undefined) d.description = a.description;
    if (a.pattern !== undefined) d.pattern = { type: 'string', pattern: a.pattern };
    out[a.name] = d;
  }
  return out;
}

export function kindJson(k: KindDef): Record<string, unknown> {
  const j: Record<string, unknown> = {
    term: k.term, scheme: k.scheme, title: k.title, attributes: attributeDescriptions(k.attributes), actions: [...k.actions],
  };
  if (k.parent !== undefined) j.parent = k.parent;
  if (k.location !== undefined) j.location = k.location;
  return j;
}

/** The schema requires a mixin's location; a mixin defined without one gets `/<term>/`. */
export function mixinJson(m: MixinDef): Record<string, unknown> {
  const j: Record<string, unknown> = { term: m.term, scheme: m.scheme, title: m.title, attributes: attributeDescriptions(m.attributes) };
  if (m.depends !== undefined) j.depends = [...m.depends];
  if (m.applies !== undefined) j.applies = [...m.applies];
  j.location = m.location ?? `/${m.term}/`;
  return j;
}

export const actionJson = (a: ActionDef): Record<string, unknown> =>
  ({ term: a.term, scheme: a.scheme, title: a.title, attributes: attributeDescriptions(a.attributes) });

const json = (doc: unknown): Rendered => ({ contentType: CT, headers: {}, body: JSON.stringify(doc) });

export const renderEntityJson = (view: EntityView): Rendered => json(resourceJson(view));

/** Every item needs its view: a resource cannot be rendered from a location alone. */
export function renderCollectionJson(items: readonly { location: string; view?: EntityView }[]): Rendered {
  return json({
    resources: items.map((i) => {
      if (i.view === undefined) throw new TypeError(`renderCollection(application/occi+json): no view for ${i.location}`);
      return resourceJson(i.view);
    }),
  });
}

export const renderDiscoveryJson = (d: Discovery): Rendered =>
  json({ kinds: d.kinds.map(kindJson), mixins: d.mixins.map(mixinJson), actions: d.actions.map(actionJson) });
