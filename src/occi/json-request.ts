// Request bodies in the OCCI 1.2 JSON rendering: a resource `{kind, mixins, attributes, id,
// title, summary, links}` or an action invocation `{action, attributes}`, turned into the same
// OcciRequest the text renderings give. Object and array attribute values become JSON strings
// (an AttributeValue is a scalar); top-level id/title/summary become occi.core.* attributes.
import { parseTypeId } from './category.js';
import { checkAttributeName } from './attributes.js';
import { OcciParseError } from './errors.js';
import { show } from './grammar.js';
import { jsonDepth } from './limits.js';
import type { AttributeValue, Category, CategoryClass, Link, OcciRequest } from './model.js';

const H = 'application/occi+json body';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function category(id: unknown, cls: CategoryClass, field: string): Category {
  const t = typeof id === 'string' ? parseTypeId(id) : undefined;
  if (t === undefined) {
    // never JSON.stringify a caller's value here: a deep one would exhaust the stack
    throw new OcciParseError(`${H}: ${field} must be a type identifier "scheme#term", got ${typeof id === 'string' ? show(id, 80) : Array.isArray(id) ? 'an array' : id === null ? 'null' : `a ${typeof id}`}`);
  }
  return { ...t, class: cls };
}

function attributes(v: unknown, field: string, maxDepth: number): Map<string, AttributeValue> {
  const out = new Map<string, AttributeValue>();
  if (v === undefined) return out;
  if (!isObject(v)) throw new OcciParseError(`${H}: ${field} must be an object of name: value`);
  for (const [name, value] of Object.entries(v)) {
    checkAttributeName(name, H, name);
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') out.set(name, value);
    else if (typeof value === 'object' && value !== null) {
      if (jsonDepth(value, maxDepth) > maxDepth) throw new OcciParseError(`${H}: attribute ${name} is nested deeper than ${maxDepth} levels`);
      out.set(name, JSON.stringify(value));
    }
    else throw new OcciParseError(`${H}: attribute ${name} has no value (expected a string, number, boolean, object or array)`);
  }
  return out;
}

function optString(o: Record<string, unknown>, field: string): string | undefined {
  const v = o[field];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new OcciParseError(`${H}: ${field} must be a string`);
  return v;
}

function links(v: unknown, maxDepth: number): Link[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new OcciParseError(`${H}: links must be an array`);
  return v.map((l, i) => {
    if (!isObject(l) || !isObject(l.target) || typeof l.target.location !== 'string') {
      throw new OcciParseError(`${H}: links[${i}] must be an object with target.location`);
    }
    const link: Link = { target: l.target.location, attributes: attributes(l.attributes, `links[${i}].attributes`, maxDepth) };
    const rel = optString(l, 'rel');
    if (rel !== undefined) link.rel = rel;
    const kind = optString(l, 'kind');
    if (kind !== undefined) link.category = kind;
    const id = optString(l, 'id');
    if (id !== undefined) link.self = id;
    return link;
  });
}

/** Parses an application/occi+json request body. */
export function parseOcciJson(body: string, maxDepth = 16): OcciRequest {
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch (e) {
    throw new OcciParseError(`${H}: invalid JSON (${(e as Error).message})`);
  }
  if (!isObject(doc)) throw new OcciParseError(`${H}: expected a resource or action invocation object`);
  // the document's own nesting: attribute values may nest maxDepth, inside attributes, inside links[i]
  if (jsonDepth(doc, maxDepth + 4) > maxDepth + 4) throw new OcciParseError(`${H}: nested deeper than ${maxDepth + 4} levels`);
  if (doc.action !== undefined) {
    return {
      categories: [category(doc.action, 'action', 'action')],
      attributes: attributes(doc.attributes, 'attributes', maxDepth),
      links: [],
      locations: [],
    };
  }
  if (doc.kind === undefined) {
    throw new OcciParseError(`${H}: expected a resource (with "kind") or an action invocation (with "action")`);
  }
  const categories = [category(doc.kind, 'kind', 'kind')];
  if (doc.mixins !== undefined) {
    if (!Array.isArray(doc.mixins)) throw new OcciParseError(`${H}: mixins must be an array of type identifiers`);
    doc.mixins.forEach((m, i) => categories.push(category(m, 'mixin', `mixins[${i}]`)));
  }
  const attrs = attributes(doc.attributes, 'attributes', maxDepth);
  for (const [field, name] of [['id', 'occi.core.id'], ['title', 'occi.core.title'], ['summary', 'occi.core.summary']] as const) {
    const v = optString(doc, field);
    if (v !== undefined && !attrs.has(name)) attrs.set(name, v);
  }
  return { categories, attributes: attrs, links: links(doc.links, maxDepth), locations: [] };
}
