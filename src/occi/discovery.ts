// The query interface's model: Category lines for kinds, mixins and actions, and the filter a
// `Category` request header applies to it.
import type { CategoryLine } from './category.js';
import type { ActionDef, Category, Discovery, KindDef, MixinDef } from './model.js';
import { typeId } from './model.js';

export const kindLine = (k: KindDef): CategoryLine => ({
  term: k.term, scheme: k.scheme, class: 'kind', title: k.title,
  rel: k.parent === undefined ? [] : [k.parent], location: k.location, attributes: k.attributes, actions: k.actions,
});

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
