// The query interface's model: Category lines for kinds, mixins and actions, and the filter a
// `Category` request header applies to it; OCCI Core's own kinds, which every query interface
// lists; and titles that clients splitting a Category on ';' (even inside quotes) read whole.
import type { CategoryLine } from './category.js';
import type { ActionDef, AttributeDef, Category, Discovery, KindDef, MixinDef } from './model.js';
import { typeId } from './model.js';

export const CORE_SCHEME = 'http://schemas.ogf.org/occi/core#';

const core = (name: string, mutable: boolean, required: boolean, description: string): AttributeDef =>
  ({ name, type: 'string', mutable, required, description });

/**
 * OCCI Core's kinds (GFD.221 / GFD.183): entity and its two sub-kinds, each with its own
 * attributes. They have no location: nothing here is listed at /entity/ or /resource/.
 * occi.core.id is not `required`: the service assigns it, as on the kinds below them.
 */
export const CORE_KINDS: readonly KindDef[] = [
  { term: 'entity', scheme: CORE_SCHEME, title: 'Entity', actions: [],
    attributes: [core('occi.core.id', false, false, 'the id of the entity'), core('occi.core.title', true, false, 'the title of the entity')] },
  { term: 'resource', scheme: CORE_SCHEME, title: 'Resource', actions: [], parent: `${CORE_SCHEME}entity`,
    attributes: [core('occi.core.summary', true, false, 'a summary of the resource')] },
  { term: 'link', scheme: CORE_SCHEME, title: 'Link', actions: [], parent: `${CORE_SCHEME}entity`,
    attributes: [core('occi.core.source', true, true, 'the resource the link starts from'), core('occi.core.target', true, true, 'the resource the link points to')] },
];

/**
 * A title as a Category may carry it: no ';' (several OCCI clients split a Category's
 * parameters on ';' even inside a quoted string), written as ' - ' instead.
 */
export const categoryTitle = (title: string): string =>
  title.includes(';') ? title.replace(/\s*;[\s;]*/g, ' - ').replace(/^ - | - $/g, '') : title;

/**
 * The query interface of a model: OCCI Core's kinds first (unless the model defines them),
 * then the model's kinds, mixins and actions, every title made safe by categoryTitle.
 */
export function queryInterface(d: Discovery): Discovery {
  const own = new Set(d.kinds.map(typeId));
  const titled = <T extends { title: string }>(x: T): T => (x.title.includes(';') ? { ...x, title: categoryTitle(x.title) } : x);
  return {
    kinds: [...CORE_KINDS.filter((k) => !own.has(typeId(k))), ...d.kinds].map(titled),
    mixins: d.mixins.map(titled),
    actions: d.actions.map(titled),
  };
}

export const kindLine = (k: KindDef): CategoryLine => {
  const line: CategoryLine = { term: k.term, scheme: k.scheme, class: 'kind', title: k.title,
    rel: k.parent === undefined ? [] : [k.parent], attributes: k.attributes, actions: k.actions };
  if (k.location !== undefined) line.location = k.location;
  return line;
};

export const mixinLine = (m: MixinDef): CategoryLine => {
  const line: CategoryLine = { term: m.term, scheme: m.scheme, class: 'mixin', title: m.title, rel: m.depends ?? [], attributes: m.attributes };
  if (m.location !== undefined) line.location = m.location;
  return line;
};

export const actionLine = (a: ActionDef): CategoryLine => ({
  term: a.term, scheme: a.scheme, class: 'action', title: a.title, attributes: a.attributes,
});

/** Every category of the model as a Category line: kinds, then mixins, then actions. */
export const discoveryLines = (d: Discovery): CategoryLine[] =>
  [...d.kinds.map(kindLine), ...d.mixins.map(mixinLine), ...d.actions.map(actionLine)];

/** Keeps the categories whose scheme+term is in `filter`; an empty filter keeps everything. */
export function filterDiscovery(d: Discovery, filter: readonly Category[]): Discovery {
  if (filter.length === 0) return d;
  const wanted = new Set(filter.map(typeId));
  const keep = <T extends { scheme: string; term: string }>(xs: T[]): T[] => xs.filter((x) => wanted.has(typeId(x)));
  return { kinds: keep(d.kinds), mixins: keep(d.mixins), actions: keep(d.actions) };
}
