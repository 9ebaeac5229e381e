// The OCCI core model as this service uses it: what a request carries and what a
// response renders. Knows nothing about clusters.
export type CategoryClass = 'kind' | 'mixin' | 'action';

/** A Category as sent in a request (only term, scheme and class are required). */
export interface Category {
  term: string;
  scheme: string;              // ends with '#'
  class: CategoryClass;
  title?: string;
  rel?: string[];
  location?: string;
  attributes?: string[];       // as sent, e.g. ["occi.core.id{immutable}"] (rarely sent)
  actions?: string[];
}

export type AttributeValue = string | number | boolean;

/** What one OCCI request carries, from its headers (text/occi) or its body (text/plain). */
export interface OcciRequest {
  categories: Category[];
  /** In the order sent; a repeated name keeps the last value. */
  attributes: Map<string, AttributeValue>;
  links: Link[];
  locations: string[];
}

export interface Link {
  target: string;              // the URI between < >
  rel?: string;
  self?: string;
  category?: string;
  attributes: Map<string, AttributeValue>;
}

export type AttributeType = 'string' | 'number' | 'boolean' | 'object' | 'array';

export interface AttributeDef {
  name: string;
  type: AttributeType;
  required: boolean;
  mutable: boolean;
  default?: AttributeValue;
  description?: string;
  pattern?: string;
}

export interface KindDef {
  term: string;
  scheme: string;
  title: string;
  location?: string;           // e.g. "/disco/"; none for an abstract kind (OCCI Core's entity, resource, link)
  attributes: AttributeDef[];
  actions: string[];           // action type identifiers: scheme + term
  parent?: string;             // e.g. "http://schemas.ogf.org/occi/core#resource"
}

export interface MixinDef {
  term: string;
  scheme: string;
  title: string;
  location?: string;
  attributes: AttributeDef[];
  depends?: string[];          // type identifiers
  applies?: string[];          // type identifiers
}

export interface ActionDef {
  term: string;
  scheme: string;
  title: string;
  attributes: AttributeDef[];
}

export interface Discovery {
  kinds: KindDef[];
  mixins: MixinDef[];
  actions: ActionDef[];
}

/** A resource instance to render. */
export interface EntityView {
  kind: KindDef;
  mixins: MixinDef[];
  id: string;
  location: string;            // path, e.g. "/disco/<uuid>"
  title?: string;
  summary?: string;
  /** Rendered in this order. Objects/arrays are JSON in text renderings. */
  attributes: [string, AttributeValue | Record<string, unknown> | unknown[]][];
  /** Actions that apply now. */
  actions: ActionDef[];
}

export const typeId = (c: { scheme: string; term: string }): string => `${c.scheme}${c.term}`;
